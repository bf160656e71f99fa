/*
 * newslint/plugin.h -- the plugin ABI of newslint, the editorial linter.
 *
 * This is the only header a plugin needs and the only one newslint installs.
 * A plugin is a shared object that exports one constant descriptor,
 *
 *     const nl_plugin nl_plugin_<name>;      (spelling.so -> nl_plugin_spelling,
 *                                              my-rules.so -> nl_plugin_my_rules)
 *
 * The host checks abi_major/abi_minor/struct_size of that descriptor before it
 * calls any plugin code.  The plugin links nothing from the newslint binary:
 * every service it needs comes through the nl_host function table it receives
 * in create().
 *
 * Memory, in one sentence: what the host lends (document, config, strings it
 * returns) is valid only during the call that received it, what the plugin
 * passes to the host (messages, suggestions, spans) is copied before the call
 * returns, and each side frees only what it allocated.
 *
 * Status-returning functions return 0 on success or a negative NL_E* code,
 * never a positive error.
 *
 * Versioning: NL_ABI_MAJOR changes only when an existing struct or function
 * changes shape; then old plugins are refused.  NL_ABI_MINOR grows when
 * something is appended (a function at the END of nl_host, a field at the
 * END of nl_doc or nl_plugin); a plugin built against minor M loads in any
 * host with the same major and minor >= M.  Never reorder or remove members.
 */
#ifndef NEWSLINT_PLUGIN_H
#define NEWSLINT_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NL_ABI_MAJOR 1
#define NL_ABI_MINOR 1

/* ---- status codes (negative) ------------------------------------------ */
#define NL_OK        0
#define NL_ENOMEM   -1   /* out of memory */
#define NL_ECONFIG  -2   /* bad configuration (already reported via host) */
#define NL_EIO      -3   /* a file could not be read (already reported) */
#define NL_EINVAL   -4   /* bad argument, e.g. an undeclared rule id */
#define NL_EPLUGIN  -5   /* any other plugin failure (already reported) */

/* ---- severities ---------------------------------------------------------- */
typedef enum nl_severity {
	NL_SEV_DEFAULT = -1, /* in a finding: use the rule's configured severity */
	NL_SEV_INFO = 0,
	NL_SEV_WARNING = 1,
	NL_SEV_ERROR = 2
} nl_severity;

/* ---- the document model ------------------------------------------------
 * Everything is a byte span into doc->text, the unmodified input buffer
 * (a UTF-8 BOM, if any, is left in the buffer and never inside a span).
 * Line and column are the host's business: plugins never compute them.
 */
typedef struct nl_span {
	uint32_t off;   /* byte offset into doc->text */
	uint32_t len;   /* length in bytes */
} nl_span;

enum nl_token_kind {
	NL_TOK_WORD = 1,    /* letters, inner apostrophes/hyphens/periods: Ukraine's, e-mail, U.S. */
	NL_TOK_NUMBER,      /* 42, 3.5, 1,000, 9/11, 10%, 2nd, $5 (digits decide) */
	NL_TOK_PUNCT,       /* one punctuation character (or an ellipsis / dash run) */
	NL_TOK_URL,         /* http://..., www.example.com */
	NL_TOK_EMAIL,       /* someone@example.com */
	NL_TOK_HANDLE,      /* @someone */
	NL_TOK_HASHTAG,     /* #topic */
	NL_TOK_SYMBOL       /* anything else: emoji, currency sign alone, ... */
};

/* token flags */
#define NL_TF_CAPITALIZED   0x0001u /* first letter upper case */
#define NL_TF_ALLCAPS       0x0002u /* >= 2 letters, all upper case (NATO, U.S.) */
#define NL_TF_SENT_START    0x0004u /* first word of its sentence, or a capitalised first
                                        word inside a quotation (He said, “We won.”) */
#define NL_TF_IN_QUOTE      0x0008u /* inside a quotation (marks excluded) */
#define NL_TF_IN_HEADING    0x0010u /* in a heading or the title */
#define NL_TF_HAS_DIGIT     0x0020u /* contains a digit */
#define NL_TF_HYPHENATED    0x0040u /* word contains '-' */
#define NL_TF_APOSTROPHE    0x0080u /* word contains ' or U+2019 */
#define NL_TF_QUOTE_MARK    0x0100u /* PUNCT that opens or closes a quotation */
#define NL_TF_NONASCII      0x0200u /* token contains bytes >= 0x80 */
#define NL_TF_LINE_START    0x0400u /* first token on its line */
#define NL_TF_IN_LINK       0x0800u /* Markdown link text */

/* 8 bytes a token: a 50 MB article has ~9 million of them.  A run of
   letters or symbols longer than 65535 bytes is split into several tokens. */
typedef struct nl_token {
	uint32_t off;        /* byte offset into doc->text */
	uint16_t len;        /* length in bytes */
	uint16_t kind : 4;   /* enum nl_token_kind */
	uint16_t flags : 12; /* NL_TF_* */
} nl_token;

typedef struct nl_sentence {
	uint32_t off, len;           /* from the first to the last token */
	uint32_t first_token;        /* index into doc->tokens */
	uint32_t n_tokens;
	uint32_t paragraph;          /* index into doc->paragraphs */
} nl_sentence;

/* paragraph flags */
#define NL_PF_HEADING   0x01u    /* a heading (Markdown #/setext, or a short unpunctuated line) */
#define NL_PF_TITLE     0x02u    /* the article's title (first heading / first line) */
#define NL_PF_LIST_ITEM 0x04u
#define NL_PF_BLOCKQUOTE 0x08u

typedef struct nl_paragraph {
	uint32_t off, len;
	uint32_t first_sentence, n_sentences;
	uint32_t first_token, n_tokens;
	uint16_t flags;              /* NL_PF_* */
	uint16_t level;              /* heading level 1..6; 0 if not a heading */
} nl_paragraph;

/* quotation flags */
#define NL_QF_CURLY      0x01u   /* “…” or ‘…’ */
#define NL_QF_SINGLE     0x02u   /* ‘…’, or straight '…' */
#define NL_QF_UNCLOSED   0x04u   /* ran to the end of the paragraph without a closing mark */
#define NL_QF_CONTINUES  0x08u   /* continues in the next paragraph (re-opened there);
                                    never combined with NL_QF_UNCLOSED */
#define NL_QF_CONTINUED  0x10u   /* continues a quotation from the previous paragraph */
#define NL_QF_NESTED     0x20u   /* inside another quotation */

typedef struct nl_quote {
	uint32_t off, len;           /* including the quotation marks */
	uint32_t inner_off, inner_len; /* between the marks */
	uint32_t first_token, n_tokens; /* tokens between the marks */
	uint32_t n_words;            /* word tokens inside */
	uint32_t paragraph;          /* paragraph holding the opening mark */
	uint32_t flags;              /* NL_QF_* */
} nl_quote;

enum nl_input_format { NL_FORMAT_TEXT = 1, NL_FORMAT_MARKDOWN = 2 };

typedef struct nl_doc {
	size_t struct_size;          /* sizeof(nl_doc) of the host: fields may be appended */
	const char *path;            /* name shown in reports ("-" or --stdin-filename) */
	const char *text;            /* the input as read; NOT NUL-terminated in general */
	size_t text_len;
	int format;                  /* enum nl_input_format */
	const nl_token *tokens;        size_t n_tokens;
	const nl_sentence *sentences;  size_t n_sentences;
	const nl_paragraph *paragraphs; size_t n_paragraphs;  /* headings included, in order */
	const nl_quote *quotes;        size_t n_quotes;       /* in order of opening mark */
	size_t n_words;              /* NL_TOK_WORD tokens outside code */

	/* -- 1.1: the document's words as numbers.  Each distinct folded form
	   (host->fold) of its WORD tokens has a number, 0, 1, 2 ... in order of
	   first use, so a plugin can keep what it knows of a word in arrays
	   indexed by it instead of folding and looking up every token.  Read
	   these only when NL_DOC_HAS_WORDS(doc): a 1.0 host has no such
	   fields, and a host may leave word_ids NULL (a very large document,
	   or no memory): then fold the tokens yourself. -- */
	const uint32_t *word_ids;      /* per token: its form's number (WORD tokens), NL_NO_WORD else */
	size_t n_word_ids;             /* every number is below this */
	const char *word_forms;        /* the forms, each followed by a NUL: number i is at
	                                  word_forms + word_form_off[i], and is
	                                  word_form_off[i + 1] - word_form_off[i] - 1 bytes;
	                                  16 more bytes may be read after each NUL */
	const uint32_t *word_form_off; /* n_word_ids + 1 entries */
	/* per number: the number of the form without its possessive ending
	   ("ukraine's" -> "ukraine", "voters'" -> "voters": a final 's after at
	   least one byte, else a final ' after at least one byte), or
	   NL_NO_WORD for a form with no such ending.  Such a stripped form has
	   a number even when no token of the document has it (it is then none
	   of word_ids' numbers). */
	const uint32_t *word_base;
} nl_doc;

#define NL_NO_WORD UINT32_MAX
#define NL_DOC_HAS_WORDS(d) \
	((d)->struct_size >= offsetof(nl_doc, word_base) + sizeof(const uint32_t *) && (d)->word_ids != NULL)

/* ---- rules and findings -------------------------------------------------- */
typedef struct nl_rule_info {
	const char *id;              /* "repeated-word"; the host prefixes "<plugin>.".
	                                An id that already contains '.' is used as is
	                                (rule packs: "<pack>.<rule>"). */
	nl_severity default_severity;
	const char *summary;         /* one line, for --list-rules */
	const char *explanation;     /* several lines, for --explain: what, why, fix, keys + defaults */
	const char *yields_to;       /* NULL, or a full rule id: this rule's findings are dropped
	                                when their span lies inside a span (primary or related)
	                                of a finding of that rule in the same document */
} nl_rule_info;

typedef struct nl_finding {
	const char *rule;            /* a declared id (short or full) */
	uint32_t off, len;           /* the span the finding is about */
	const char *message;         /* UTF-8, no trailing newline; copied by the host */
	const char *const *suggestions; size_t n_suggestions; /* replacements for the span */
	const nl_span *related;      size_t n_related;        /* other places that belong to it */
	nl_severity severity;        /* NL_SEV_DEFAULT unless the rule picks per finding */
} nl_finding;

/* Opaque handles owned by the host. */
typedef struct nl_config nl_config;  /* the plugin's own INI section */
typedef struct nl_sink nl_sink;      /* where one check() call reports */

/* ---- the host function table ---------------------------------------------
 * APPEND ONLY.  New functions go at the end, with a comment naming the minor
 * version that added them; check host->struct_size (or abi_minor) before
 * using a function newer than 1.0.
 */
typedef struct nl_host {
	uint32_t abi_major, abi_minor;
	size_t struct_size;

	/* -- 1.0: findings -- */
	/* Report one finding; everything is copied.  Returns NL_EINVAL for an
	   undeclared rule or a span outside the text. */
	int (*report)(nl_sink *sink, const nl_finding *finding);
	/* Is the rule (short or full id) enabled for this run?  Lets a plugin
	   skip work nobody will see. */
	int (*rule_enabled)(nl_sink *sink, const char *rule);

	/* -- 1.0: configuration (valid during create() only) -- */
	size_t (*cfg_count)(const nl_config *cfg);
	const char *(*cfg_key)(const nl_config *cfg, size_t i);
	const char *(*cfg_value)(const nl_config *cfg, size_t i);
	/* Last value of key, or NULL. */
	const char *(*cfg_get)(const nl_config *cfg, const char *key);
	/* Typed getters: 0 and *out set; 0 and *out = dflt when absent; NL_ECONFIG
	   after reporting "file:line: [section] key: expected ..." when malformed. */
	int (*cfg_int)(const nl_config *cfg, const char *key, long dflt, long min, long max, long *out);
	int (*cfg_double)(const nl_config *cfg, const char *key, double dflt, double min, double max, double *out);
	int (*cfg_bool)(const nl_config *cfg, const char *key, int dflt, int *out);
	/* Report a configuration error at the key's line (key may be NULL for
	   the section).  printf-style; never fails. */
	void (*cfg_error)(const nl_config *cfg, const char *key, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
	/* Resolve a path given in the config: absolute stays, relative is taken
	   from the INI file's folder.  Writes into buf; returns buf, or NULL if
	   too long or refused: a configuration found by discovery may only name
	   files inside its own folder tree (see TRUST in newslint(1)); the
	   refusal is already reported at the key's line, so just fail create().
	   Resolve every file name from the config here, and read lists with
	   read_list(), so that this confinement applies to your plugin too. */
	const char *(*cfg_path)(const nl_config *cfg, const char *path, char *buf, size_t size);
	/* Folder of the bundled rule data (rules/ in the build tree, $(pkgdatadir)/rules installed). */
	const char *(*rules_dir)(void);

	/* -- 1.0: messages on standard error (prefixed with the plugin name) -- */
	void (*warn)(const char *plugin, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

	/* -- 1.0: text helpers, so every plugin reads words the same way -- */
	/* Decode one UTF-8 code point at s (n bytes available); returns bytes used
	   (>= 1) and sets *cp (U+FFFD for a bad byte). */
	size_t (*utf8_next)(const char *s, size_t n, uint32_t *cp);
	/* Fold a word for comparison: lower case (Latin, Greek, Cyrillic), U+2019
	   and U+2018 become ', other bytes kept.  Writes at most size-1 bytes plus
	   NUL into out; returns the folded length (or the length needed). */
	size_t (*fold)(const char *s, size_t n, char *out, size_t size);
	/* Read a word list: one entry per line, '#' starts a comment, blank lines
	   skipped, surrounding space trimmed.  Calls fn for each entry with its
	   1-based line; fn returns 0 to go on, negative to stop (returned).
	   NL_EIO (reported, naming the file) when it cannot be read. */
	int (*read_list)(const char *path, int (*fn)(void *ud, const char *entry, size_t len, unsigned line), void *ud);
	/* Lower-case code point (simple case mapping, same table as fold). */
	uint32_t (*lower)(uint32_t cp);
	/* Is cp a letter (Unicode L*, approximate for rare scripts)? */
	int (*is_alpha)(uint32_t cp);
	/* Is cp an upper-case letter? */
	int (*is_upper)(uint32_t cp);

	/* -- 1.1: words as numbers -- */
	/* The number of folded form s[0..n) (as host->fold writes it) in doc
	   (see nl_doc.word_ids), or NL_NO_WORD when doc has no such form or no
	   numbers.  A hash look-up: for words from the configuration, not for
	   every token. */
	uint32_t (*word_find)(const nl_doc *doc, const char *s, size_t n);

	/* Append new functions here, never above.  */
} nl_host;

/* ---- the plugin descriptor ----------------------------------------------- */
#define NL_PLUGIN_THREADSAFE 0x1u  /* check() may run on several documents at once */
#define NL_PLUGIN_WORD_NUMBERS 0x2u /* (1.1) check() reads the word numbers (nl_doc.word_ids):
                                       the host makes them only when an enabled plugin says so */

typedef struct nl_plugin {
	uint32_t abi_major;          /* NL_ABI_MAJOR at build time */
	uint32_t abi_minor;          /* NL_ABI_MINOR at build time */
	uint32_t struct_size;        /* sizeof(nl_plugin) at build time */
	uint32_t flags;              /* NL_PLUGIN_* */
	const char *name;            /* "spelling"; must match the file name */
	const char *version;         /* the plugin's own version, "1.0.0" */
	const char *summary;         /* one line for --list-plugins */
	const nl_rule_info *rules;   /* static rules (may be NULL) */
	size_t n_rules;
	/* Known keys of the plugin's INI section, NULL-terminated (or NULL: the
	   plugin checks its own keys).  The host warns about any other key and
	   suggests the nearest known one. */
	const char *const *config_keys;

	/* Create the plugin's state from its config section.  The host and the
	   config are valid for this call; the host pointer stays valid until
	   destroy().  On failure report through host->cfg_error / host->warn and
	   return a negative NL_E* code; *state is then ignored. */
	int (*create)(const nl_host *host, const nl_config *cfg, void **state);
	/* Check one document.  doc and sink are valid for this call only. */
	int (*check)(void *state, const nl_doc *doc, nl_sink *sink);
	void (*destroy)(void *state);
	/* Rules known only after create() (rule packs), or NULL.  The array is
	   owned by the plugin and lives until destroy(). */
	const nl_rule_info *(*dynamic_rules)(void *state, size_t *n);
} nl_plugin;

/* Mark the descriptor exported, so a plugin built with -fvisibility=hidden
 * still shows it to the loader:
 *   NL_PLUGIN_EXPORT const nl_plugin nl_plugin_foo = { ... };  */
#define NL_PLUGIN_EXPORT __attribute__((visibility("default")))

/* Fill the ABI fields of a descriptor:
 *   const nl_plugin nl_plugin_foo = { NL_PLUGIN_ABI, .name = "foo", ... };  */
#define NL_PLUGIN_ABI \
	.abi_major = NL_ABI_MAJOR, .abi_minor = NL_ABI_MINOR, \
	.struct_size = (uint32_t)sizeof(nl_plugin)

#ifdef __cplusplus
}
#endif
#endif /* NEWSLINT_PLUGIN_H */
