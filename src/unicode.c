/* unicode.c -- the small amount of Unicode newslint needs: UTF-8 decoding
 * and validation, letter and case classes, simple lower-case mapping and the
 * word folding every plugin compares words with.
 *
 * Letter classes are approximated by ranges (a few hundred bytes of table)
 * rather than a full UCD: newslint reads news prose, so what matters is that
 * Latin (with all its extensions), Greek, Cyrillic, Armenian, Hebrew, Arabic,
 * the Indic scripts, Thai, Georgian, Hangul, kana and CJK ideographs are
 * letters, and that the cased scripts lower-case correctly.  The case table
 * follows UnicodeData.txt's simple mappings for those blocks. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "doc.h"

/* ---- decoding -------------------------------------------------------- */

size_t nl_utf8_next(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	if (n == 0) {                 /* caller bug; never loop forever */
		*cp = 0xFFFD;
		return 1;
	}
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		if (n >= 2 && (s[1] & 0xC0) == 0x80) {
			*cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
			return 2;
		}
	} else if (c >= 0xE0 && c <= 0xEF) {
		if (n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
			uint32_t v = ((c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
			if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
				*cp = v;
				return 3;
			}
		}
	} else if (c >= 0xF0 && c <= 0xF4) {
		if (n >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
			uint32_t v = ((c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
			             ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
			if (v >= 0x10000 && v <= 0x10FFFF) {
				*cp = v;
				return 4;
			}
		}
	}
	*cp = 0xFFFD;
	return 1;
}

static size_t utf8_put(uint32_t cp, unsigned char *o)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* ---- letters ----------------------------------------------------------- */

/* Letter ranges above U+007F (inclusive pairs, sorted).  Approximate for
 * the complex scripts (a block's vowel signs count as letters: they never
 * separate words there anyway). */
static const uint32_t alpha_ranges[][2] = {
	{0x00AA, 0x00AA}, {0x00B5, 0x00B5}, {0x00BA, 0x00BA},
	{0x00C0, 0x00D6}, {0x00D8, 0x00F6}, {0x00F8, 0x02C1},
	{0x02C6, 0x02D1}, {0x02E0, 0x02E4}, {0x02EC, 0x02EC}, {0x02EE, 0x02EE},
	{0x0370, 0x0374}, {0x0376, 0x0377}, {0x037A, 0x037D}, {0x037F, 0x037F},
	{0x0386, 0x0386}, {0x0388, 0x038A}, {0x038C, 0x038C}, {0x038E, 0x03A1},
	{0x03A3, 0x03F5}, {0x03F7, 0x0481}, {0x048A, 0x052F},
	{0x0531, 0x0556}, {0x0559, 0x0559}, {0x0560, 0x0588},
	{0x05D0, 0x05EA}, {0x05EF, 0x05F2},
	{0x0620, 0x064A}, {0x066E, 0x066F}, {0x0671, 0x06D3}, {0x06D5, 0x06D5},
	{0x06E5, 0x06E6}, {0x06EE, 0x06EF}, {0x06FA, 0x06FC}, {0x06FF, 0x06FF},
	{0x0710, 0x072F}, {0x074D, 0x07A5}, {0x07B1, 0x07B1}, {0x07CA, 0x07EA},
	{0x0800, 0x0815}, {0x0840, 0x0858}, {0x08A0, 0x08C9},
	{0x0900, 0x0963}, {0x0971, 0x0DF3},           /* Indic scripts, approx. */
	{0x0E01, 0x0E3A}, {0x0E40, 0x0E4E}, {0x0E81, 0x0EDF},
	{0x0F00, 0x0F00}, {0x0F40, 0x0FBC}, {0x1000, 0x103F}, {0x1050, 0x108F},
	{0x10A0, 0x10C5}, {0x10C7, 0x10C7}, {0x10CD, 0x10CD}, {0x10D0, 0x10FA},
	{0x10FC, 0x1248}, {0x124A, 0x135A}, {0x1380, 0x138F}, {0x13A0, 0x13F5},
	{0x13F8, 0x13FD}, {0x1401, 0x166C}, {0x166F, 0x167F}, {0x1681, 0x169A},
	{0x16A0, 0x16EA}, {0x1780, 0x17B3}, {0x1820, 0x1878}, {0x1C80, 0x1C88},
	{0x1C90, 0x1CBA}, {0x1CBD, 0x1CBF}, {0x1D00, 0x1DBF},
	{0x1E00, 0x1F15}, {0x1F18, 0x1F1D}, {0x1F20, 0x1F45}, {0x1F48, 0x1F4D},
	{0x1F50, 0x1F57}, {0x1F59, 0x1F59}, {0x1F5B, 0x1F5B}, {0x1F5D, 0x1F5D},
	{0x1F5F, 0x1F7D}, {0x1F80, 0x1FB4}, {0x1FB6, 0x1FBC}, {0x1FBE, 0x1FBE},
	{0x1FC2, 0x1FC4}, {0x1FC6, 0x1FCC}, {0x1FD0, 0x1FD3}, {0x1FD6, 0x1FDB},
	{0x1FE0, 0x1FEC}, {0x1FF2, 0x1FF4}, {0x1FF6, 0x1FFC},
	{0x2071, 0x2071}, {0x207F, 0x207F}, {0x2090, 0x209C},
	{0x2102, 0x2102}, {0x2107, 0x2107}, {0x210A, 0x2113}, {0x2115, 0x2115},
	{0x2119, 0x211D}, {0x2124, 0x2124}, {0x2126, 0x2126}, {0x2128, 0x2128},
	{0x212A, 0x212D}, {0x212F, 0x2139}, {0x213C, 0x213F}, {0x2145, 0x2149},
	{0x214E, 0x214E}, {0x2183, 0x2184},
	{0x2C00, 0x2CE4}, {0x2CEB, 0x2CEE}, {0x2CF2, 0x2CF3}, {0x2D00, 0x2D25},
	{0x2D27, 0x2D27}, {0x2D2D, 0x2D2D}, {0x2D30, 0x2D67}, {0x2D6F, 0x2D6F},
	{0x2D80, 0x2DDE}, {0x3005, 0x3006}, {0x3031, 0x3035}, {0x303B, 0x303C},
	{0x3041, 0x3096}, {0x309D, 0x309F}, {0x30A1, 0x30FA}, {0x30FC, 0x30FF},
	{0x3105, 0x312F}, {0x3131, 0x318E}, {0x31A0, 0x31BF}, {0x31F0, 0x31FF},
	{0x3400, 0x4DBF}, {0x4E00, 0xA48C}, {0xA4D0, 0xA4FD}, {0xA500, 0xA60C},
	{0xA610, 0xA61F}, {0xA62A, 0xA62B}, {0xA640, 0xA66E}, {0xA67F, 0xA69D},
	{0xA6A0, 0xA6E5}, {0xA717, 0xA71F}, {0xA722, 0xA788}, {0xA78B, 0xA7CA},
	{0xA7D0, 0xA7D9}, {0xA7F2, 0xA801}, {0xA840, 0xA873}, {0xAC00, 0xD7A3},
	{0xD7B0, 0xD7C6}, {0xD7CB, 0xD7FB}, {0xF900, 0xFA6D}, {0xFA70, 0xFAD9},
	{0xFB00, 0xFB06}, {0xFB13, 0xFB17}, {0xFB1D, 0xFB28}, {0xFB2A, 0xFBB1},
	{0xFBD3, 0xFD3D}, {0xFD50, 0xFDC7}, {0xFDF0, 0xFDFB}, {0xFE70, 0xFEFC},
	{0xFF21, 0xFF3A}, {0xFF41, 0xFF5A}, {0xFF66, 0xFFDC},
	{0x10000, 0x100FA}, {0x10280, 0x1031F}, {0x10330, 0x10349},
	{0x10400, 0x1049D}, {0x104B0, 0x104FB},
	{0x1D400, 0x1D7CB},                                /* math alphanumerics */
	{0x20000, 0x2FA1D}, {0x30000, 0x3134A},           /* CJK extensions */
};

int nl_is_alpha(uint32_t cp)
{
	size_t lo = 0, hi = sizeof alpha_ranges / sizeof alpha_ranges[0];
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	if (cp < 0xAA)
		return 0;
	if (cp >= 0x2000 && cp < 0x2071)
		return 0;               /* General Punctuation: ’ “ ” — … (no range) */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < alpha_ranges[mid][0])
			hi = mid;
		else if (cp > alpha_ranges[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* ---- case ------------------------------------------------------------ */

/* Irregular simple lower-case mappings of Latin Extended-B, Greek and
 * others (upper, lower), sorted by upper. */
static const uint32_t lower_pairs[][2] = {
	{0x0130, 0x0069}, {0x0178, 0x00FF}, {0x0181, 0x0253}, {0x0186, 0x0254},
	{0x0189, 0x0256}, {0x018A, 0x0257}, {0x018E, 0x01DD}, {0x018F, 0x0259},
	{0x0190, 0x025B}, {0x0193, 0x0260}, {0x0194, 0x0263}, {0x0196, 0x0269},
	{0x0197, 0x0268}, {0x019C, 0x026F}, {0x019D, 0x0272}, {0x019F, 0x0275},
	{0x01A6, 0x0280}, {0x01A9, 0x0283}, {0x01AE, 0x0288}, {0x01B1, 0x028A},
	{0x01B2, 0x028B}, {0x01B7, 0x0292}, {0x01C4, 0x01C6}, {0x01C5, 0x01C6},
	{0x01C7, 0x01C9}, {0x01C8, 0x01C9}, {0x01CA, 0x01CC}, {0x01CB, 0x01CC},
	{0x01F1, 0x01F3}, {0x01F2, 0x01F3}, {0x01F6, 0x0195}, {0x01F7, 0x01BF},
	{0x0220, 0x019E}, {0x023A, 0x2C65}, {0x023D, 0x019A}, {0x023E, 0x2C66},
	{0x0243, 0x0180}, {0x0244, 0x0289}, {0x0245, 0x028C},
	{0x037F, 0x03F3}, {0x0386, 0x03AC}, {0x038C, 0x03CC}, {0x038E, 0x03CD},
	{0x038F, 0x03CE}, {0x03CF, 0x03D7}, {0x03F4, 0x03B8}, {0x03F7, 0x03F8},
	{0x03F9, 0x03F2}, {0x03FA, 0x03FB}, {0x03FD, 0x037B}, {0x03FE, 0x037C},
	{0x03FF, 0x037D}, {0x04C0, 0x04CF}, {0x1E9E, 0x00DF},
	{0x1FBA, 0x1F70}, {0x1FBB, 0x1F71}, {0x1FBC, 0x1FB3}, {0x1FC8, 0x1F72},
	{0x1FC9, 0x1F73}, {0x1FCA, 0x1F74}, {0x1FCB, 0x1F75}, {0x1FCC, 0x1FC3},
	{0x1FDA, 0x1F76}, {0x1FDB, 0x1F77}, {0x1FEA, 0x1F7A}, {0x1FEB, 0x1F7B},
	{0x1FEC, 0x1FE5}, {0x1FF8, 0x1F78}, {0x1FF9, 0x1F79}, {0x1FFA, 0x1F7C},
	{0x1FFB, 0x1F7D}, {0x1FFC, 0x1FF3}, {0x2126, 0x03C9}, {0x212A, 0x006B},
	{0x212B, 0x00E5},
};

/* Upper/lower pairs one apart (upper even or odd as given). */
static int pair_at(uint32_t cp, uint32_t lo, uint32_t hi, int upper_parity)
{
	return cp >= lo && cp <= hi && (int)(cp & 1) == upper_parity;
}

uint32_t nl_lower(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
	if (cp < 0xC0)
		return cp;
	if (cp <= 0xDE)
		return cp == 0xD7 ? cp : cp + 32;
	if (cp < 0x100)
		return cp;
	if (cp < 0x250) {                       /* Latin Extended-A/B */
		if (pair_at(cp, 0x0100, 0x012F, 0) || pair_at(cp, 0x0132, 0x0137, 0) ||
		    pair_at(cp, 0x0139, 0x0148, 1) || pair_at(cp, 0x014A, 0x0177, 0) ||
		    pair_at(cp, 0x0179, 0x017E, 1) || pair_at(cp, 0x01CD, 0x01DC, 1) ||
		    pair_at(cp, 0x01DE, 0x01EF, 0) || pair_at(cp, 0x01F8, 0x021F, 0) ||
		    pair_at(cp, 0x0222, 0x0233, 0) || pair_at(cp, 0x0246, 0x024F, 0))
			return cp + 1;
		switch (cp) {
		case 0x0182: case 0x0184: case 0x0187: case 0x018B: case 0x0191:
		case 0x0198: case 0x01A0: case 0x01A2: case 0x01A4: case 0x01A7:
		case 0x01AC: case 0x01AF: case 0x01B3: case 0x01B5: case 0x01B8:
		case 0x01BC: case 0x01F4: case 0x023B: case 0x0241:
			return cp + 1;
		}
	} else if (cp >= 0x370 && cp < 0x400) { /* Greek */
		if (cp >= 0x0391 && cp <= 0x03AB && cp != 0x03A2)
			return cp + 32;
		if (cp >= 0x0388 && cp <= 0x038A)
			return cp + 37;
		if (pair_at(cp, 0x0370, 0x0373, 0) || cp == 0x0376 || pair_at(cp, 0x03D8, 0x03EF, 0))
			return cp + 1;
	} else if (cp >= 0x400 && cp < 0x530) { /* Cyrillic */
		if (cp <= 0x040F)
			return cp + 80;
		if (cp <= 0x042F)
			return cp + 32;
		if (pair_at(cp, 0x0460, 0x0481, 0) || pair_at(cp, 0x048A, 0x04BF, 0) ||
		    pair_at(cp, 0x04C1, 0x04CE, 1) || pair_at(cp, 0x04D0, 0x052F, 0))
			return cp + 1;
	} else if (cp >= 0x0531 && cp <= 0x0556) { /* Armenian */
		return cp + 48;
	} else if (cp >= 0x10A0 && cp <= 0x10CD) { /* Georgian Asomtavruli */
		if (cp <= 0x10C5 || cp == 0x10C7 || cp == 0x10CD)
			return cp + 0x1C60;
		return cp;
	} else if (cp >= 0x1E00 && cp <= 0x1EFF) { /* Latin Extended Additional */
		if (pair_at(cp, 0x1E00, 0x1E95, 0) || pair_at(cp, 0x1EA0, 0x1EFF, 0))
			return cp + 1;
	} else if (cp >= 0x1F08 && cp <= 0x1F6F) { /* Greek Extended */
		uint32_t r = cp & 0xF;
		uint32_t row = cp & 0xFFF0;
		if (r >= 8 && row != 0x1F50 && !(row == 0x1F10 && r > 0xD) && !(row == 0x1F40 && r > 0xD))
			return cp - 8;
		if (row == 0x1F50 && (r == 9 || r == 0xB || r == 0xD || r == 0xF))
			return cp - 8;
	} else if (cp >= 0x1F88 && cp <= 0x1FAF) {
		if ((cp & 0xF) >= 8)
			return cp - 8;
	} else if (cp >= 0x1FB8 && cp <= 0x1FB9) {
		return cp - 8;
	} else if (cp >= 0x1FD8 && cp <= 0x1FD9) {
		return cp - 8;
	} else if (cp >= 0x1FE8 && cp <= 0x1FE9) {
		return cp - 8;
	} else if (cp >= 0x2160 && cp <= 0x216F) { /* Roman numerals */
		return cp + 16;
	} else if (cp >= 0x24B6 && cp <= 0x24CF) { /* circled letters */
		return cp + 26;
	} else if (cp >= 0x2C00 && cp <= 0x2C2F) { /* Glagolitic */
		return cp + 48;
	} else if (cp >= 0xFF21 && cp <= 0xFF3A) { /* fullwidth */
		return cp + 32;
	} else if (cp >= 0x10400 && cp <= 0x10427) { /* Deseret */
		return cp + 40;
	}
	{
		size_t lo = 0, hi = sizeof lower_pairs / sizeof lower_pairs[0];
		if (cp < lower_pairs[0][0] || cp > lower_pairs[hi - 1][0])
			return cp;          /* outside the table (’ “ ” — and the like) */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (cp < lower_pairs[mid][0])
				hi = mid;
			else if (cp > lower_pairs[mid][0])
				lo = mid + 1;
			else
				return lower_pairs[mid][1];
		}
	}
	return cp;
}

int nl_is_upper(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z';
	return nl_lower(cp) != cp;
}

/* ---- folding ------------------------------------------------------------ */

size_t nl_fold(const char *s, size_t n, char *out, size_t size)
{
	size_t i = 0, o = 0, wrote = 0;
	int full = (out == NULL || size == 0);
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		unsigned char buf[4];
		size_t k, used;
		if (c < 0x80) {
			buf[0] = (unsigned char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
			k = used = 1;
		} else {
			uint32_t cp;
			used = nl_utf8_next(s + i, n - i, &cp);
			if (cp == 0xFFFD && used == 1) {
				buf[0] = c;  /* a bad byte is kept as is */
				k = 1;
			} else {
				cp = (cp == 0x2019 || cp == 0x2018) ? '\'' : nl_lower(cp);
				k = utf8_put(cp, buf);
			}
		}
		/* write whole code points only, leaving room for the NUL */
		if (!full) {
			if (o + k < size) {
				memcpy(out + o, buf, k);
				wrote = o + k;
			} else {
				full = 1;
			}
		}
		o += k;
		i += used;
	}
	if (out && size > 0)
		out[wrote] = '\0';
	return o;
}

/* ---- validation ---------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s, or 0 with *why set. */
static size_t utf8_valid_seq(const unsigned char *s, size_t n, const char **why)
{
	unsigned c = s[0];
	size_t need, k;
	uint32_t v, min;
	if (c < 0x80)
		return 1;
	if (c >= 0x80 && c <= 0xBF) {
		*why = "is a continuation byte where a character should start";
		return 0;
	}
	if (c == 0xC0 || c == 0xC1 || c >= 0xF5) {
		*why = c >= 0xF5 ? "is never used in UTF-8" : "starts an overlong encoding";
		return 0;
	}
	if (c < 0xE0) {
		need = 2; v = c & 0x1F; min = 0x80;
	} else if (c < 0xF0) {
		need = 3; v = c & 0x0F; min = 0x800;
	} else {
		need = 4; v = c & 0x07; min = 0x10000;
	}
	for (k = 1; k < need; k++) {
		if (k >= n || (s[k] & 0xC0) != 0x80) {
			*why = "starts a truncated multi-byte sequence";
			return 0;
		}
		v = (v << 6) | (s[k] & 0x3F);
	}
	if (v < min) {
		*why = "starts an overlong encoding";
		return 0;
	}
	if (v >= 0xD800 && v <= 0xDFFF) {
		*why = "starts an encoded UTF-16 surrogate";
		return 0;
	}
	if (v > 0x10FFFF) {
		*why = "starts a code point above U+10FFFF";
		return 0;
	}
	return need;
}

/* 1-based line and column (code points; CRLF, LF and a lone CR end a line)
 * of byte offset off: only computed for an error message. */
static void utf8_pos(const unsigned char *s, size_t off, size_t *line, size_t *col)
{
	size_t l = 1, c = 1, i = 0;
	if (off >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		i = 3;   /* a BOM is not a column */
	for (; i < off; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n')) {   /* i + 1 <= off */
			l++;
			c = 1;
		} else if ((s[i] & 0xC0) != 0x80 && s[i] != '\r') {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* UTF-16 without a byte order mark: in the first 4 KB, most byte pairs have
 * a NUL on one side only, always the same side (ASCII text in UTF-16).  A
 * binary file has NULs too, but not in that pattern. */
static const char *utf16_guess(const unsigned char *s, size_t len)
{
	size_t pairs = (len < 4096 ? len : 4096) / 2, le = 0, be = 0;
	if (pairs < 2)
		return NULL;
	if (!memchr(s, 0, 2 * pairs))
		return NULL;            /* the usual case: nothing to count */
	for (size_t k = 0; k < pairs; k++) {
		unsigned char a = s[2 * k], b = s[2 * k + 1];
		if (a && !b)
			le++;
		else if (!a && b)
			be++;
	}
	if (le * 4 >= pairs * 3 && be * 20 <= pairs)
		return "LE";
	if (be * 4 >= pairs * 3 && le * 20 <= pairs)
		return "BE";
	return NULL;
}

int nl_utf8_check(const char *text, size_t len, char *err, size_t errsize)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, line, col;
	const char *u16;
	char dummy[1];
	if (!err || errsize == 0) {
		err = dummy;
		errsize = sizeof dummy;
	}
	err[0] = '\0';
	if (len == 0)
		return 0;
	/* UTF-32 and UTF-16 byte order marks */
	if (len >= 4 && s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0) {
		snprintf(err, errsize, "looks like UTF-32 (byte order mark FF FE 00 00): "
		         "convert it with iconv -f UTF-32 -t UTF-8");
		return -1;
	}
	if (len >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF) {
		snprintf(err, errsize, "looks like UTF-32 (byte order mark 00 00 FE FF): "
		         "convert it with iconv -f UTF-32 -t UTF-8");
		return -1;
	}
	if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		snprintf(err, errsize, "is UTF-16%s (byte order mark %02X %02X), newslint reads UTF-8: "
		         "convert it with iconv -f UTF-16 -t UTF-8", s[0] == 0xFF ? "LE" : "BE", s[0], s[1]);
		return -1;
	}
	if ((u16 = utf16_guess(s, len)) != NULL) {
		snprintf(err, errsize, "looks like UTF-16%s (NUL bytes at every other position, no byte "
		         "order mark), newslint reads UTF-8: convert it with iconv -f UTF-16%s -t UTF-8",
		         u16, u16);
		return -1;
	}
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		i = 3;
	while (i < len) {
#ifdef __SSE2__
		/* fast path: 32, then 16 ASCII bytes without a NUL at a time */
		{
			const __m128i zero = _mm_setzero_si128();
			while (i + 32 <= len) {
				__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
				__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16));
				__m128i z = _mm_or_si128(_mm_cmpeq_epi8(a, zero), _mm_cmpeq_epi8(b, zero));
				if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), z)))
					break;
				i += 32;
			}
			while (i + 16 <= len) {
				__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
				unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(a, _mm_cmpeq_epi8(a, zero)));
				if (m) {
					i += (size_t)__builtin_ctz(m);   /* the first byte to look at */
					break;
				}
				i += 16;
			}
			if (i >= len)
				break;
		}
#endif
		/* fast path: 8 ASCII bytes without a NUL */
		if (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(w & 0x8080808080808080ull) &&
			    !((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		if (s[i] == 0) {
			utf8_pos(s, i, &line, &col);
			snprintf(err, errsize, "is not text: NUL byte at line %zu, column %zu (byte offset %zu); "
			         "newslint lints UTF-8 text (if this is text, remove the NUL bytes: "
			         "tr -d '\\000' < FILE)", line, col, i);
			return -1;
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		{
			const char *why = "";
			size_t k = utf8_valid_seq(s + i, len - i, &why);
			if (!k) {
				utf8_pos(s, i, &line, &col);
				snprintf(err, errsize, "invalid UTF-8 at line %zu, column %zu (byte offset %zu): "
				         "byte 0x%02X %s; if the file is Windows-1252 or Latin-1, convert it with "
				         "iconv -f WINDOWS-1252 -t UTF-8", line, col, i, s[i], why);
				return -1;
			}
			i += k;
		}
	}
	return 0;
}
