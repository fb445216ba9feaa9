// QEMU ACPI linker/loader ("etc/table-loader") executor (32-bit flat; also
// host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// The format and the rules applied are in tableloader.h. Every command is
// checked field by field before it touches memory; a bad one is logged
// once ("loader: cmd N NAME FILE: WHAT VALUE", FILE "?" while its own name
// is not yet known to be terminated) and skipped.
//
// Most commands name a blob, so names are matched the cheap way first: a
// field equal to a blob's zero-padded name word for word, through its NUL,
// is that blob and is terminated. QEMU zero-fills its name fields; any
// other field takes the checks one by one, which also say what is wrong.
#include "checksum.h" // checksum
#include "fw/fw_cfg.h" // fw_cfg_find
#include "fw/tableloader.h" // tableloader_run
#include "malloc.h" // zone_alloc
#include "output.h" // dprintf
#include "string.h" // strnlen, memcpy, memset

// One script entry as QEMU lays it out (x86 is little-endian, like it).
struct loader_entry {
    u32 command;
    union {
        struct {
            char file[TABLELOADER_NAME_SIZE];
            u32 align;
            u8 zone;
        } PACKED alloc;
        struct {
            char dest[TABLELOADER_NAME_SIZE];
            char src[TABLELOADER_NAME_SIZE];
            u32 offset;
            u8 size;
        } PACKED pointer;
        struct {
            char file[TABLELOADER_NAME_SIZE];
            u32 offset;
            u32 start;
            u32 length;
        } PACKED cksum;
        struct {
            char dest[TABLELOADER_NAME_SIZE];
            char src[TABLELOADER_NAME_SIZE];
            u32 dst_offset;
            u32 src_offset;
            u8 size;
        } PACKED wrptr;
        u8 pad[TABLELOADER_ENTRY_SIZE - 4];
    };
} PACKED;
_Static_assert(sizeof(struct loader_entry) == TABLELOADER_ENTRY_SIZE,
               "loader entry size");

// The command being run, for its log lines.
struct cmd {
    u32 index;
    const char *name;
    const char *file;
};

// Logs one LOG_WARN line about command c and evaluates to -1, so a check
// reads "return BAD(c, ...);". The level test is dprintf()'s.
#define BAD(c, fmt, ...)                                                \
    ((LOG_WARN <= CONFIG_DEBUG_LEVEL                                    \
      ? output_printf("loader: cmd %u %s %s: " fmt "\n", (c)->index,    \
                      (c)->name, (c)->file, ##__VA_ARGS__)              \
      : (void)0), -1)

// FileCount used; Files[FileCount] is where a name is staged (below).
static struct tableloader_file Files[TABLELOADER_MAX_FILES + 1] NOINIT;
static int FileCount;
// Per blob, the 32-bit words that hold its name and NUL.
static u8 FileNameWords[TABLELOADER_MAX_FILES];
static bool StashS3, WpOverflow;

// Kept for S3 resume, which replays them into fw_cfg. (S3 off is
// tableloader_run(false), not a zero-sized table.)
_Static_assert(CONFIG_S3_WRITE_POINTERS >= 1, "CONFIG_S3_WRITE_POINTERS");
// The records are read only up to WpCount; the reset path neither clears
// nor copies NOINIT buffers, so they survive a resume as the count does.
static struct tableloader_wp WpRecords[CONFIG_S3_WRITE_POINTERS] NOINIT;
static int WpCount __attribute__((section(".data.resume")));

// The address the guest sees for p. In firmware pointers are 32 bits; in
// host tests the fake zones hand out memory below 4 GiB.
static u64
blob_addr(const void *p)
{
    return (u64)(uintptr_t)p;
}

static bool
name_ok(const char *name)
{
    return strnlen(name, TABLELOADER_NAME_SIZE) < TABLELOADER_NAME_SIZE;
}

// [offset, offset + len) inside size bytes, without u32 overflow.
static bool
range_ok(u32 offset, u32 len, u32 size)
{
    return offset <= size && len <= size - offset;
}

// The largest value a pointer of each size holds; 0 for invalid sizes.
static const u64 PtrMax[9] = {
    [1] = 0xff, [2] = 0xffff, [4] = 0xffffffff, [8] = ~0ULL,
};

static bool
ptr_size_ok(u8 size)
{
    // The low half is nonzero for every valid size.
    return size < ARRAY_SIZE(PtrMax) && (u32)PtrMax[size];
}

// A 32-bit load of part of a name; names sit at 4-byte offsets in entries
// and in Files, but the type does not promise it.
typedef u32 __attribute__((may_alias, aligned(1))) name_word;

// Whether the TABLELOADER_NAME_SIZE-byte field holds blob i's name
// followed by zeros up to the end of the word with its NUL.
static bool
field_is_blob(const char *field, int i)
{
    const name_word *a = (const name_word *)field;
    const name_word *b = (const name_word *)Files[i].name;
    int n;

    // Last word first: it holds the NUL, and names share "etc/" prefixes.
    for (n = FileNameWords[i] - 1; n >= 0; n--)
        if (a[n] != b[n])
            return false;
    return true;
}

// The blob a script name field names, when the fast match finds it
// (always for QEMU's zero-filled fields); NULL leaves the field to
// name_ok() and find_blob(). A hit means the field is terminated.
static struct tableloader_file *
find_field(const char *field)
{
    int i;

    for (i = 0; i < FileCount; i++)
        if (field_is_blob(field, i))
            return &Files[i];
    return NULL;
}

// Copies name zero-padded into the spare slot Files[FileCount], the form
// in which find_field() matches it word for word, and returns its length
// (TABLELOADER_NAME_SIZE when it is not terminated in that many bytes).
static u32
stage_name(const char *name)
{
    char *staged = Files[FileCount].name;
    u32 len = strnlen(name, TABLELOADER_NAME_SIZE);

    memset(staged, 0, TABLELOADER_NAME_SIZE);
    memcpy(staged, name, len);
    return len;
}

// The blob named name (any string); names past TABLELOADER_NAME_SIZE - 1
// bytes name none.
static struct tableloader_file *
find_blob(const char *name)
{
    if (stage_name(name) >= TABLELOADER_NAME_SIZE)
        return NULL;
    return find_field(Files[FileCount].name);
}

const struct tableloader_file *
tableloader_find(const char *name)
{
    return name ? find_blob(name) : NULL;
}

bool
tableloader_holds(const void *p, u32 len)
{
    uintptr_t off;
    int i;

    for (i = 0; i < FileCount; i++) {
        off = (uintptr_t)p - (uintptr_t)Files[i].data;
        if ((uintptr_t)p >= (uintptr_t)Files[i].data && off <= Files[i].size
            && len <= Files[i].size - off)
            return true;
    }
    return false;
}

int
tableloader_wp_count(void)
{
    return WpCount;
}

const struct tableloader_wp *
tableloader_wp_records(void)
{
    return WpRecords;
}

static int
cmd_allocate(struct cmd *c, const struct loader_entry *e)
{
    const struct fwcfg_file *f;
    struct tableloader_file *b;
    u32 align = e->alloc.align ? e->alloc.align : 1;
    u32 len = stage_name(e->alloc.file);
    enum zone_id zone;
    void *data;

    if (len >= TABLELOADER_NAME_SIZE)
        return BAD(c, "name not terminated in %u bytes",
                   TABLELOADER_NAME_SIZE);
    c->file = e->alloc.file;
    b = find_field(Files[FileCount].name);
    if (b)
        return BAD(c, "already allocated at 0x%08x",
                   (u32)blob_addr(b->data));
    if (align & (align - 1))
        return BAD(c, "align %u not a power of two", align);
    if (align > TABLELOADER_MAX_ALIGN)
        return BAD(c, "align %u above %u", align, TABLELOADER_MAX_ALIGN);
    if (e->alloc.zone == TABLELOADER_ZONE_HIGH)
        zone = ZONE_HIGH;
    else if (e->alloc.zone == TABLELOADER_ZONE_FSEG)
        zone = ZONE_FSEG;
    else
        return BAD(c, "zone %u unknown", e->alloc.zone);
    f = fw_cfg_find(c->file);
    if (!f)
        return BAD(c, "file not in fw_cfg");
    if (!f->size)
        return BAD(c, "file size 0");
    if (FileCount >= TABLELOADER_MAX_FILES)
        return BAD(c, "blob table full at %d", TABLELOADER_MAX_FILES);
    data = zone_alloc(zone, f->size, align);
    if (!data)
        return BAD(c, "no room for size %u", f->size);
    if (fw_cfg_read_file(f, 0, data, f->size))
        return BAD(c, "fw_cfg read failed, size %u", f->size);
    // At most 55 name bytes and the NUL: 14 words, all inside the field.
    FileNameWords[FileCount] = len / 4 + 1;
    b = &Files[FileCount++]; // its name is staged already
    b->data = data;
    b->size = f->size;
    b->zone = e->alloc.zone;
    return 0;
}

static int
cmd_add_pointer(struct cmd *c, const struct loader_entry *e)
{
    struct tableloader_file *dest, *src;
    u32 offset = e->pointer.offset;
    u8 size = e->pointer.size;
    u64 old, sum;
    u8 *p;

    dest = find_field(e->pointer.dest);
    src = find_field(e->pointer.src);
    if (!dest || !src) {
        if (!name_ok(e->pointer.dest))
            return BAD(c, "dest name not terminated in %u bytes",
                       TABLELOADER_NAME_SIZE);
        c->file = e->pointer.dest;
        if (!name_ok(e->pointer.src))
            return BAD(c, "src name not terminated in %u bytes",
                       TABLELOADER_NAME_SIZE);
        dest = find_blob(c->file);
        if (!dest)
            return BAD(c, "not allocated");
        src = find_blob(e->pointer.src);
        if (!src)
            return BAD(c, "src %s not allocated", e->pointer.src);
    }
    c->file = e->pointer.dest;
    if (!ptr_size_ok(size))
        return BAD(c, "pointer size %u invalid", size);
    if (!range_ok(offset, size, dest->size))
        return BAD(c, "offset 0x%x size %u outside blob size %u", offset,
                   size, dest->size);
    // x86 and the field are little-endian: the field is the low `size`
    // bytes of a u64.
    p = (u8 *)dest->data + offset;
    old = 0;
    memcpy(&old, p, size);
    // old <= PtrMax[size] (it came from size bytes), so this cannot wrap.
    if (blob_addr(src->data) > PtrMax[size] - old)
        return BAD(c, "value 0x%llx + 0x%llx does not fit size %u", old,
                   blob_addr(src->data), size);
    sum = old + blob_addr(src->data);
    memcpy(p, &sum, size);
    return 0;
}

static int
cmd_add_checksum(struct cmd *c, const struct loader_entry *e)
{
    struct tableloader_file *b;
    u32 start = e->cksum.start, length = e->cksum.length;

    b = find_field(e->cksum.file);
    if (!b) {
        if (!name_ok(e->cksum.file))
            return BAD(c, "name not terminated in %u bytes",
                       TABLELOADER_NAME_SIZE);
        c->file = e->cksum.file;
        b = find_blob(c->file);
        if (!b)
            return BAD(c, "not allocated");
    }
    c->file = e->cksum.file;
    if (e->cksum.offset >= b->size)
        return BAD(c, "checksum offset 0x%x outside blob size %u",
                   e->cksum.offset, b->size);
    if (!range_ok(start, length, b->size))
        return BAD(c, "start 0x%x length %u outside blob size %u", start,
                   length, b->size);
    ((u8 *)b->data)[e->cksum.offset] -= checksum((u8 *)b->data + start,
                                                 length);
    return 0;
}

static void
stash_wp(struct cmd *c, u16 key, u8 size, u32 offset, u64 value)
{
    struct tableloader_wp *r;

    if (!StashS3)
        return;
    if (WpCount >= CONFIG_S3_WRITE_POINTERS) {
        if (!WpOverflow)
            (void)BAD(c, "more than %d s3 records, not kept for resume",
                      CONFIG_S3_WRITE_POINTERS);
        WpOverflow = true;
        return;
    }
    r = &WpRecords[WpCount++];
    r->key = key;
    r->size = size;
    r->pad = 0;
    r->offset = offset;
    r->value = value;
}

static int
cmd_write_pointer(struct cmd *c, const struct loader_entry *e)
{
    const struct fwcfg_file *f;
    struct tableloader_file *src;
    u32 dst_offset = e->wrptr.dst_offset, src_offset = e->wrptr.src_offset;
    u8 size = e->wrptr.size;
    u64 value;

    if (!name_ok(e->wrptr.dest))
        return BAD(c, "dest name not terminated in %u bytes",
                   TABLELOADER_NAME_SIZE);
    c->file = e->wrptr.dest;
    src = find_field(e->wrptr.src);
    if (!src) {
        if (!name_ok(e->wrptr.src))
            return BAD(c, "src name not terminated in %u bytes",
                       TABLELOADER_NAME_SIZE);
        src = find_blob(e->wrptr.src);
        if (!src)
            return BAD(c, "src %s not allocated", e->wrptr.src);
    }
    f = fw_cfg_find(c->file);
    if (!f)
        return BAD(c, "file not in fw_cfg");
    if (!ptr_size_ok(size))
        return BAD(c, "pointer size %u invalid", size);
    if (!range_ok(dst_offset, size, f->size))
        return BAD(c, "dst_offset 0x%x size %u outside file size %u",
                   dst_offset, size, f->size);
    if (src_offset >= src->size)
        return BAD(c, "src_offset 0x%x outside src blob size %u",
                   src_offset, src->size);
    value = blob_addr(src->data) + src_offset;
    if (value > PtrMax[size])
        return BAD(c, "value 0x%llx does not fit size %u", value, size);
    if (!fw_cfg_has_dma())
        return BAD(c, "refused: no fw_cfg dma");
    // Little-endian: the low `size` bytes of value are the pointer.
    if (fw_cfg_write_file(f, dst_offset, &value, size))
        return BAD(c, "fw_cfg write failed at 0x%x", dst_offset);
    stash_wp(c, f->select, size, dst_offset, value);
    return 0;
}

// 0 when the entry ran, -1 when it was skipped (after one log line).
static int
run_entry(u32 index, const struct loader_entry *e)
{
    struct cmd c = { index, "", "?" };

    switch (e->command) {
    case TABLELOADER_ALLOCATE:
        c.name = "allocate";
        return cmd_allocate(&c, e);
    case TABLELOADER_ADD_POINTER:
        c.name = "add_pointer";
        return cmd_add_pointer(&c, e);
    case TABLELOADER_ADD_CHECKSUM:
        c.name = "add_checksum";
        return cmd_add_checksum(&c, e);
    case TABLELOADER_WRITE_POINTER:
        c.name = "write_pointer";
        return cmd_write_pointer(&c, e);
    case 0: // QEMU pads the script to 4 KiB with zeroed entries
        return -1;
    }
    dprintf(LOG_WARN, "loader: cmd %u unknown: command 0x%x skipped\n",
            index, e->command);
    return -1;
}

int POST_STEP
tableloader_run(bool stash_s3)
{
    const struct fwcfg_file *f;
    const struct loader_entry *script;
    u32 count, i;
    int done = 0;

    FileCount = 0;
    WpCount = 0;
    WpOverflow = false;
    StashS3 = stash_s3;
    f = fw_cfg_find(TABLELOADER_FILE);
    if (!f) {
        dprintf(LOG_DEBUG, "loader: no %s\n", TABLELOADER_FILE);
        return -1;
    }
    count = f->size / TABLELOADER_ENTRY_SIZE;
    if (f->size % TABLELOADER_ENTRY_SIZE)
        dprintf(LOG_WARN, "loader: %s size %u not a multiple of %u,"
                " ignoring the last %u bytes\n", TABLELOADER_FILE, f->size,
                TABLELOADER_ENTRY_SIZE, f->size % TABLELOADER_ENTRY_SIZE);
    if (!count)
        return 0;
    script = zone_alloc(ZONE_TMP, count * TABLELOADER_ENTRY_SIZE, 4);
    if (!script || fw_cfg_read_file(f, 0, (void *)script,
                                    count * TABLELOADER_ENTRY_SIZE)) {
        dprintf(LOG_WARN, "loader: cannot read %s, size %u\n",
                TABLELOADER_FILE, f->size);
        return -1;
    }
    for (i = 0; i < count; i++)
        if (run_entry(i, &script[i]) == 0)
            done++;
    for (i = 0; output_active() && i < (u32)FileCount; i++)
        dprintf(LOG_INFO, "loader: %s at 0x%08x size %u (%s)\n",
                Files[i].name, (u32)blob_addr(Files[i].data), Files[i].size,
                Files[i].zone == TABLELOADER_ZONE_FSEG ? "fseg" : "high");
    return done;
}
