/* SPDX-License-Identifier: MIT */
/*
 * Load options and the few settings boot/ itself needs.
 *
 * The hypervisor core parses the whole configuration (hv/config/config.c).  Before
 * it runs, boot/ must already know how to talk (console=), how to end the
 * run (exit=), where the configuration lives (config=) and how much memory
 * to reserve (pool=).  These helpers do a minimal scan for those keys:
 *
 *  - load options: whitespace-separated `key=value` tokens;
 *  - configuration text: `key=value` at the start of a line (after optional
 *    blanks), so that a guest's kernel command line cannot be mistaken for
 *    a global setting;
 *  - a value ends at whitespace, '#' or the end of the text;
 *  - within one text the last occurrence wins; the load options win over
 *    the configuration file (boot_setting()).
 *
 * This file is pure: it builds for the host unit tests as well.
 */
#ifndef BOOT_OPTIONS_H
#define BOOT_OPTIONS_H

#include <lib/types.h>

/*
 * Converts UEFI load options (UCS-2, @nchars code units, stopping at the
 * first NUL) to a NUL-terminated ASCII string in @dst.  Tabs and line
 * breaks become spaces.  The UEFI shell passes the command line including
 * the program itself ("fs0:\hv.efi a=b"); a first token ending in ".efi"
 * (any case, possibly "double-quoted") is dropped, as are leading blanks.
 *
 * Returns 0, -EINVAL if a character is not printable ASCII (its index is
 * stored in *@bad), or -E2BIG if the result does not fit in @cap bytes.
 */
int boot_options_to_ascii(const u16 *src, size_t nchars, char *dst,
			  size_t cap, size_t *bad);

/* The value of `key=` among whitespace-separated options, or NULL. */
const char *boot_option(const char *opts, const char *key);

/* The value of a line-leading `key=` in configuration text, or NULL. */
const char *boot_config_key(const char *cfg, const char *key);

/* boot_option(@opts), else boot_config_key(@cfg); either may be NULL. */
const char *boot_setting(const char *opts, const char *cfg, const char *key);

/* Length of a value returned above (up to whitespace, '#' or NUL). */
size_t boot_value_len(const char *val);

/* Whether the value equals @word exactly. */
bool boot_value_is(const char *val, const char *word);

/*
 * Copies the value into @dst as a NUL-terminated string.
 * Returns 0, or -E2BIG if it does not fit in @cap bytes.
 */
int boot_value_copy(const char *val, char *dst, size_t cap);

/* Parses a decimal value into *@out; -EINVAL if malformed or over U32_MAX. */
int boot_value_u32(const char *val, u32 *out);

#endif /* BOOT_OPTIONS_H */
