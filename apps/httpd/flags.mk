# apps/httpd/flags.mk: files.S .incbin's the site: its object depends on every file of www/ (apps/apps.mk).
APP_DEPS := $(wildcard apps/httpd/www/*)
