// QEMU fw_cfg driver: signature and DMA probe, item and file reads,
// DMA writes (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Every transfer goes through fw_cfg_transfer(): one DMA descriptor when
// QEMU offers DMA (one VM exit per transfer), byte-wise PIO otherwise and
// for reads of a few bytes, where PIO costs fewer instructions than
// building a descriptor and as few exits (one select, one rep insb).
#include "byteorder.h" // cpu_to_be32
#include "fw/fw_cfg.h" // fw_cfg_setup
#include "malloc.h" // zone_alloc
#include "output.h" // dprintf
#include "string.h" // memcpy
#include "x86.h" // outw

#define FW_CFG_MAX_FILES 256
#define PIO_SKIP_CHUNK 512
// Reads up to this size (integer items, small files) use PIO even with DMA.
#define PIO_READ_MAX 8

static bool Present, HasDma;
static struct fwcfg_file *Files;
static int FileCount;

bool
fw_cfg_present(void)
{
    return Present;
}

bool
fw_cfg_has_dma(void)
{
    return HasDma;
}

/****************************************************************
 * Transfers
 ****************************************************************/

// One DMA operation; the caller built control (with select and op bits).
static int
fw_cfg_dma(u32 control, void *buf, u32 len)
{
    static struct fw_cfg_dma_desc desc ALIGNED(16);
    desc.control = cpu_to_be32(control);
    desc.length = cpu_to_be32(len);
    desc.address = cpu_to_be64((u32)buf);
    barrier();
    // Writing the low half of the address starts the transfer. The high
    // half is 0 for us, and so is QEMU's: it clears the whole register
    // when a transfer starts, fw_cfg_setup() cleared it once, and we never
    // write only the high half; so it takes no write (one exit less per
    // transfer).
    outl(cpu_to_be32((u32)&desc), PORT_FW_CFG_DMA + 4);
    u32 status;
    while ((status = be32_to_cpu(*(volatile u32 *)&desc.control))
           & ~FW_CFG_DMA_ERROR)
        cpu_relax();
    if (status & FW_CFG_DMA_ERROR) {
        dprintf(LOG_ERR, "fw_cfg: dma error, control=0x%08x len=%u"
                " addr=0x%08x\n", control, len, (u32)buf);
        return -1;
    }
    return 0;
}

static void
pio_skip(u32 len)
{
    u8 scratch[PIO_SKIP_CHUNK];
    while (len) {
        u32 n = MIN(len, (u32)sizeof(scratch));
        insb(PORT_FW_CFG_DATA, scratch, n);
        len -= n;
    }
}

// Select key, skip offset bytes, then read (or, with DMA, write) len bytes.
static int
fw_cfg_transfer(u16 key, u32 offset, void *buf, u32 len, bool write)
{
    if (!Present)
        return -1;
    if (write && !HasDma) {
        dprintf(LOG_WARN, "fw_cfg: write to key 0x%04x refused:"
                " no dma\n", key);
        return -1;
    }
    if (!HasDma || (!write && len <= PIO_READ_MAX
                    && offset <= PIO_READ_MAX - len)) {
        outw(key, PORT_FW_CFG_SEL);
        if (offset)
            pio_skip(offset);
        insb(PORT_FW_CFG_DATA, buf, len);
        return 0;
    }
    u32 select = FW_CFG_DMA_SELECT | ((u32)key << 16);
    if (offset) {
        if (fw_cfg_dma(select | FW_CFG_DMA_SKIP, NULL, offset))
            return -1;
        select = 0;
    }
    if (!len)
        return 0;
    return fw_cfg_dma(select | (write ? FW_CFG_DMA_WRITE : FW_CFG_DMA_READ),
                      buf, len);
}

int
fw_cfg_read_item(u16 key, void *buf, u32 len)
{
    return fw_cfg_transfer(key, 0, buf, len, false);
}

u32
fw_cfg_read_u32(u16 key)
{
    u32 value = 0;
    // What fw_cfg_transfer() would do for 4 bytes, without its checks:
    // this is called a dozen times per boot.
    if (Present) {
        outw(key, PORT_FW_CFG_SEL);
        insb(PORT_FW_CFG_DATA, &value, sizeof(value));
    }
    return value;
}

/****************************************************************
 * Files
 ****************************************************************/

const struct fwcfg_file *
fw_cfg_find(const char *name)
{
    return Files ? fwcfg_dir_find(Files, FileCount, name) : NULL;
}

static bool
file_range_ok(const struct fwcfg_file *f, u32 offset, u32 len)
{
    if (offset <= f->size && len <= f->size - offset)
        return true;
    dprintf(LOG_WARN, "fw_cfg: %s: access outside the file, offset=%u"
            " len=%u size=%u\n", f->name, offset, len, f->size);
    return false;
}

int
fw_cfg_read_file(const struct fwcfg_file *f, u32 offset, void *buf, u32 len)
{
    if (!file_range_ok(f, offset, len))
        return -1;
    return fw_cfg_transfer(f->select, offset, buf, len, false);
}

int
fw_cfg_write_file(const struct fwcfg_file *f, u32 offset, const void *buf,
                  u32 len)
{
    if (!file_range_ok(f, offset, len))
        return -1;
    return fw_cfg_transfer(f->select, offset, (void *)buf, len, true);
}

u64
fw_cfg_read_file_int(const char *name, u64 fallback)
{
    const struct fwcfg_file *f = fw_cfg_find(name);
    if (!f)
        return fallback;
    u64 value = 0;
    if (f->size > sizeof(value) || f->size == 0) {
        dprintf(LOG_WARN, "fw_cfg: %s: size %u is not an integer\n",
                name, f->size);
        return fallback;
    }
    if (fw_cfg_read_file(f, 0, &value, f->size))
        return fallback;
    return value;
}

/****************************************************************
 * Setup
 ****************************************************************/

static void
fw_cfg_read_dir(void)
{
    // The count is small enough for PIO: fw_cfg_read_u32() reads it (its
    // bytes, big-endian here); the records then come in one transfer, and
    // are parsed where they land.
    u32 count = be32_to_cpu(fw_cfg_read_u32(FW_CFG_FILE_DIR));
    if (count > FW_CFG_MAX_FILES) {
        dprintf(LOG_WARN, "fw_cfg: directory lists %u files, reading %u\n",
                count, FW_CFG_MAX_FILES);
        count = FW_CFG_MAX_FILES;
    }
    u32 len = FWCFG_DIR_HEADER + count * FWCFG_DIR_ENTRY_SIZE;
    void *raw = zone_alloc(ZONE_TMP, len, 4);
    if (!raw || fw_cfg_read_item(FW_CFG_FILE_DIR, raw, len))
        return;
    // Our count caps the parser even if QEMU's header claims more.
    *(u32 *)raw = cpu_to_be32(count);
    FileCount = fwcfg_dir_parse(raw, len, count);
    Files = fwcfg_dir_files(raw);
    dprintf(LOG_INFO, "fw_cfg: %d files\n", FileCount);
    for (int i = 0; i < FileCount; i++)
        dprintf(LOG_DEBUG, "fw_cfg: file 0x%04x %8u %s\n", Files[i].select,
                Files[i].size, Files[i].name);
}

void POST_STEP
fw_cfg_setup(void)
{
    char sig[4];
    outw(FW_CFG_SIGNATURE, PORT_FW_CFG_SEL);
    insb(PORT_FW_CFG_DATA, sig, sizeof(sig));
    if (memcmp(sig, "QEMU", 4)) {
        dprintf(LOG_ERR, "fw_cfg: no signature (read %02x %02x %02x %02x)\n",
                (u8)sig[0], (u8)sig[1], (u8)sig[2], (u8)sig[3]);
        return;
    }
    Present = true;
    u32 id = fw_cfg_read_u32(FW_CFG_ID);
    HasDma = id & FW_CFG_ID_DMA;
    // A reset (which leaves this register alone) may have come between an
    // OS's writes of the high and the low half: start from a clear one.
    if (HasDma)
        outl(0, PORT_FW_CFG_DMA);
    dprintf(LOG_INFO, "fw_cfg: signature QEMU, id=0x%x, dma %s\n", id,
            HasDma ? "yes" : "no");
    fw_cfg_read_dir();
}

// The directory was read into ZONE_TMP before ZONE_HIGH existed; keep it
// for the life of the BIOS (int 19h re-runs the boot list from it).
void
fw_cfg_persist(void)
{
    if (!Files)
        return;
    struct fwcfg_file *copy = zone_alloc(ZONE_HIGH,
                                         FileCount * sizeof(*copy), 4);
    if (!copy)
        return;
    memcpy(copy, Files, FileCount * sizeof(*copy));
    Files = copy;
}
