/* IS_ENABLED(CONFIG_X): 1 when the Kconfig symbol is set, else 0, usable
 * in plain C `if`s so that every configuration is compiled and checked. */
#ifndef SOCKBOX_KCONFIG_H
#define SOCKBOX_KCONFIG_H

#include <generated/autoconf.h>

#define KC_ARG_PLACEHOLDER_1 0,
#define KC_TAKE_SECOND(ignored, val, ...) val
#define KC_IS_DEFINED3(arg1_or_junk) KC_TAKE_SECOND(arg1_or_junk 1, 0, 0)
#define KC_IS_DEFINED2(val) KC_IS_DEFINED3(KC_ARG_PLACEHOLDER_##val)
#define IS_ENABLED(option) KC_IS_DEFINED2(option)

#endif
