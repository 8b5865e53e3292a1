# apps/apps.mk: every apps/<name>/ and tests/apps/<name>/ directory (and each directory of USER_APPS) builds build/apps/<name>.elf from its *.c and *.S.
#
# A user's apps live anywhere: `make USER_APPS="/path/to/myapp ..." apps` (or image/run) builds
# each as build/apps/<dir name>.elf with USER_WARN (warnings shown, never fatal: someone else's
# code must build), where the project's own apps keep -Werror. Any app directory may hold a
# flags.mk that sets APP_CFLAGS (extra compile flags for its files) and APP_DEPS (extra
# prerequisites of its objects, such as files its assembly .incbin's).
USER_APPS ?=
USER_WARN ?= -Wall -Wextra

APP_DIRS := $(patsubst %/,%,$(wildcard apps/*/ tests/apps/*/)) $(patsubst %/,%,$(USER_APPS))
APP_NAMES := $(notdir $(APP_DIRS))
ifneq ($(words $(APP_NAMES)),$(words $(sort $(APP_NAMES))))
$(error app names must be unique across apps/, tests/apps/ and USER_APPS: $(APP_NAMES))
endif

# $(call APP_SETUP,dir): the app's flags.mk, its warnings, and its ELF.
define APP_SETUP
APP_CFLAGS :=
APP_DEPS :=
-include $(1)/flags.mk
$(B)/guest/$(1)/%: GUEST_EXTRA_CFLAGS := $$(APP_CFLAGS)
$(if $(filter $(1),$(patsubst %/,%,$(USER_APPS))),$(B)/guest/$(1)/%: GUEST_WARN := $(USER_WARN))
$(patsubst %,$(B)/guest/%.o,$(wildcard $(1)/*.c $(1)/*.S)): $$(APP_DEPS)
$(call LIBOS_APP,$(notdir $(1)),$(sort $(wildcard $(1)/*.c $(1)/*.S)))
endef
$(foreach d,$(APP_DIRS),$(eval $(call APP_SETUP,$(d))))

.PHONY: apps
apps: $(APP_ELFS) ## build every app (build/apps/<name>.elf; USER_APPS="dir ..." adds a user's)
