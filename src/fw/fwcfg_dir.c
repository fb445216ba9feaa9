// QEMU fw_cfg file directory parser (32-bit flat; also host-compiled for
// tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Firmware code is emulated one instruction at a time on some hosts, so
// names are handled a word (four characters, little-endian as on x86) at a
// time: a record's name is hashed and checked for its NUL in one pass over
// its words, and names compare word by word. The word holding a name's NUL
// is kept with zeros after the NUL, so equal names have equal words.
#include "byteorder.h" // be32_to_cpu
#include "fw/fwcfg_dir.h" // struct fwcfg_file
#include "output.h" // dprintf
#include "string.h" // memcpy

#define NAME_WORDS (FWCFG_NAME_SIZE / 4)
#define ONES 0x01010101u
#define HIGHS 0x80808080u
#define HASH_SEED 0x811c9dc5u
// Odd, with well-mixed bits: a multiply carries every bit of a word into
// the high half, which the 16-bit hash keeps.
#define HASH_MUL 0x9e3779b1u

_Static_assert(sizeof(struct fwcfg_file) == FWCFG_DIR_ENTRY_SIZE,
               "struct fwcfg_file must overlay a directory record");

static inline u32
load32(const void *p)
{
    u32 w;

    __builtin_memcpy(&w, p, sizeof(w));
    return w;
}

static inline void
store32(void *p, u32 w)
{
    __builtin_memcpy(p, &w, sizeof(w));
}

// Non-zero when a byte of w is 0. Its lowest set bit is bit 7 of the first
// such byte (a borrow may set higher bits, never lower ones).
static inline u32
zero_bytes(u32 w)
{
    return (w - ONES) & ~w & HIGHS;
}

// The bytes of w before its first zero byte; z = zero_bytes(w), non-zero.
static inline u32
before_nul(u32 w, u32 z)
{
    return w & (((z & -z) >> 7) - 1);
}

static inline u32
hash_step(u32 h, u32 w)
{
    return (h ^ w) * HASH_MUL;
}

// The name of a raw record: hashes its words up to the one holding the NUL
// (all 56 bytes are ours to read) and zeroes that word after the NUL.
// Returns the index of that word, or -1 when the name has no NUL.
static int
record_name_scan(char *name, u16 *hash)
{
    u32 h = HASH_SEED;
    char *p = name;

    do {
        u32 w = load32(p);

        // Cheaper than zero_bytes() and also true for a zero byte; false
        // for any word of ASCII characters, so names rarely take the
        // exact test.
        if ((w - ONES) & HIGHS) {
            u32 z = zero_bytes(w);

            if (z) {
                w = before_nul(w, z);
                store32(p, w);
                *hash = hash_step(h, w) >> 16;
                return (u32)(p - name) / 4;
            }
        }
        h = hash_step(h, w);
        p += 4;
    } while (p < name + FWCFG_NAME_SIZE);
    return -1;
}

// The words of a lookup name, read a byte at a time: a C string may end
// anywhere, and its object with it. Same words and hash as
// record_name_scan() gives the same name. Returns the index of the word
// holding the NUL, or -1 when the name is too long to be a file's.
static int
lookup_name_words(const char *name, u32 words[NAME_WORDS], u16 *hash)
{
    const u8 *p = (const u8 *)name;
    u32 h = HASH_SEED, w = 0;
    int i;

    for (i = 0; i < NAME_WORDS; i++, p += 4) {
        w = 0;
        if (!p[0])
            break;
        w = p[0];
        if (!p[1])
            break;
        w |= (u32)p[1] << 8;
        if (!p[2])
            break;
        w |= (u32)p[2] << 16;
        if (!p[3])
            break;
        w |= (u32)p[3] << 24;
        words[i] = w;
        h = hash_step(h, w);
    }
    if (i == NAME_WORDS)
        return -1;
    words[i] = w;
    *hash = hash_step(h, w) >> 16;
    return i;
}

u16
fwcfg_name_hash(const char *name)
{
    u32 words[NAME_WORDS];
    u16 hash;

    return lookup_name_words(name, words, &hash) < 0 ? 0 : hash;
}

// Whether the kept name a has the words of b up to b's word `last`, the
// one holding its NUL. Equal words there mean equal names: a's words are
// zero after its NUL, so a cannot end earlier or later.
static bool
name_words_equal(const char *a, const char *b, int last)
{
    for (int i = 0; i <= last; i++)
        if (load32(a + 4 * i) != load32(b + 4 * i))
            return false;
    return true;
}

// The file among files[0..n-1] whose name has hash `hash` and the words
// words[0..last], the last one holding its NUL; or NULL.
static const struct fwcfg_file *
dir_find(const struct fwcfg_file *files, int n, const char *words, int last,
         u16 hash)
{
    const struct fwcfg_file *f = files, *end = files + n;

    if (n <= 0)
        return NULL;
    // A loop with its test at the bottom: one jump less per file.
    do {
        if (f->hash == hash && name_words_equal(f->name, words, last))
            return f;
    } while (++f < end);
    return NULL;
}

int
fwcfg_dir_parse(void *buf, u32 len, int max)
{
    struct fwcfg_file *files = fwcfg_dir_files(buf);
    // Hashes (low 8 bits) of the kept names: a name whose bit is clear
    // cannot be a duplicate, so most records skip the search.
    u32 seen[256 / 32] = { 0 };
    u32 count, fits, i;
    int n = 0;

    if (!buf || len < FWCFG_DIR_HEADER) {
        dprintf(LOG_WARN, "fw_cfg: file directory too short, len=%u\n",
                buf ? len : 0);
        return 0;
    }
    count = be32_to_cpu(load32(buf));
    fits = (len - FWCFG_DIR_HEADER) / FWCFG_DIR_ENTRY_SIZE;
    if (count > fits) {
        dprintf(LOG_WARN, "fw_cfg: file directory truncated, count=%u"
                " len=%u holds %u\n", count, len, fits);
        count = fits;
    }
    for (i = 0; i < count; i++) {
        struct fwcfg_file *f = &files[i];
        u16 select = be16_to_cpu(f->select);
        u16 hash;
        int last;

        // An empty name is terminated, so this and the next check never
        // both apply: their order does not change what is logged.
        if (!f->name[0]) {
            dprintf(LOG_WARN, "fw_cfg: file name at entry %u empty,"
                    " select=0x%x\n", i, select);
            continue;
        }
        last = record_name_scan(f->name, &hash);
        if (last < 0) {
            dprintf(LOG_WARN, "fw_cfg: file name at entry %u not"
                    " terminated\n", i);
            continue;
        }
        if (select < FWCFG_FILE_FIRST) {
            dprintf(LOG_WARN, "fw_cfg: file \"%s\" at entry %u has select"
                    " 0x%x below 0x%x, skipped\n", f->name, i, select,
                    FWCFG_FILE_FIRST);
            continue;
        }
        u32 bit = 1u << (hash & 31), *seen_word = &seen[(hash >> 5) & 7];
        if ((*seen_word & bit) && dir_find(files, n, f->name, last, hash)) {
            dprintf(LOG_WARN, "fw_cfg: file \"%s\" at entry %u duplicated,"
                    " select=0x%x, keeping the first\n", f->name, i, select);
            continue;
        }
        if (n >= max) {
            dprintf(LOG_WARN, "fw_cfg: more than %d files, ignoring entry"
                    " %u and after\n", max < 0 ? 0 : max, i);
            break;
        }
        *seen_word |= bit;
        f->size = be32_to_cpu(f->size);
        f->select = select;
        f->hash = hash;
        // Records skipped so far leave gaps: close them.
        if (f != &files[n])
            memcpy(&files[n], f, sizeof(*f));
        n++;
    }
    return n;
}

const struct fwcfg_file *
fwcfg_dir_find(const struct fwcfg_file *files, int n, const char *name)
{
    u32 words[NAME_WORDS];
    u16 hash;
    int last;

    if (!files || !name)
        return NULL;
    last = lookup_name_words(name, words, &hash);
    if (last < 0)
        return NULL;
    return dir_find(files, n, (const char *)words, last, hash);
}
