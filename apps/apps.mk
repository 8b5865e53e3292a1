# apps/apps.mk: every apps/<name>/ and tests/apps/<name>/ directory builds build/apps/<name>.elf from its *.c and *.S.

APP_DIRS := $(patsubst %/,%,$(wildcard apps/*/ tests/apps/*/))
APP_NAMES := $(notdir $(APP_DIRS))
ifneq ($(words $(APP_NAMES)),$(words $(sort $(APP_NAMES))))
$(error app names must be unique across apps/ and tests/apps/: $(APP_NAMES))
endif

$(foreach d,$(APP_DIRS),$(eval $(call LIBOS_APP,$(notdir $(d)),$(sort $(wildcard $(d)/*.c $(d)/*.S)))))

.PHONY: apps
apps: $(APP_ELFS) ## build every app (build/apps/<name>.elf)
