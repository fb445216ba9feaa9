// System management mode: SMRAM (TSEG on Q35, the legacy VGA window on
// i440FX), SMBASE relocation of every CPU, SMRAM locked (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Whether QEMU gives us SMM: QEMU runs pc and q35 with SMM unless told
// "-machine smm=off" (or KVM cannot do it), and without SMM it presets
// the APM SMI enable bit at every reset, as if a firmware had set SMM up
// already (PIIX4 DEVACTB APMC_EN, ICH9 SMI_EN APMC_EN). With that bit set
// we send no SMI at all: under KVM an SMI would then enter SMM with no
// memory behind it. Otherwise the relocation handler itself checks that
// SMM sees SMRAM (a cookie written there beforehand) before it moves
// SMBASE, and a second SMI through the new SMBASE must run the permanent
// handler, which counts it. Anything short of that is one log line and
// boot goes on.
//
// Where SMRAM is. QEMU hides a closed legacy window (0xa0000-0xbffff)
// only behind whatever PCI device decodes VGA memory: with no VGA device
// the RAM underneath shows through outside SMM, and its i440FX model
// ignores D_LCK besides. On Q35 we therefore use TSEG, 1 MiB at the top
// of low RAM, which QEMU backs with a region that reads all ones outside
// SMM; memmap_setup() asks smm_tseg_reserve() to e820-reserve it before
// the high zone is carved below it. i440FX has no TSEG: the legacy
// window it is, opened (D_OPEN) while we fill it.
//
// Every CPU needs its own SMBASE (its save state lives at SMBASE +
// 0xfe00), so SMRAM is cut into 64 KiB windows of 63 slots of 0x200
// bytes, one slot per CPU in smp.c's discovery order (slot 0 is the BSP):
//
//   SMBASE(i) = base - 0x8000 + (i / 63) * 0x10000 + (i % 63) * 0x200
//
//   base + 0x00000 +----------------------------+ SMBASE(i) + 0x8000:
//                  | handlers, cpus 0-62        |   SMI entry, one copy
//   base + 0x07e00 +----------------------------+ SMBASE(i) + 0xfe00:
//                  | save states, cpus 0-62     |   save state (512 bytes
//   base + 0x0fc00 +----------------------------+   in QEMU and KVM)
//                  | stash for 0x38000/0x3fe00  |
//   base + 0x10000 +----------------------------+
//                  | cpus 63-125, the same way  |
//                  ...
//
// The legacy window (base 0xa0000) holds 2 windows, 126 CPUs; TSEG 16,
// 1008 CPUs. CPUs past that, APIC IDs above 254 (no xAPIC destination)
// and hot-added CPUs keep the default SMBASE; the first two are logged.
//
// SMIs go out as fixed-destination IPIs through the local APIC (ICR
// delivery mode 010b): chipset independent and aimed at one CPU. APM
// SMIs (port 0xb2) cannot do that - PIIX4 sends them to the BSP only,
// ICH9 to the writing CPU or, in newer QEMUs, to every CPU - so they stay
// disabled. A CPU's first SMI enters at the default SMBASE + 0x8000 =
// 0x38000, ordinary RAM that belongs to the OS on S3 resume: what lies
// under the relocation handler and under the save state waits in the
// stash (still open SMRAM) and goes back before the lock.
#include "autoconf.h" // CONFIG_SMM
#include "e820map.h" // e820map_add
#include "fw/chipset.h" // PIIX_PM_BDF
#include "fw/shadow.h" // shadow_machine
#include "fw/smm.h" // smm_setup
#include "hw/lapic.h" // lapic_write
#include "hw/pci.h" // pci_config_readb
#include "memmap.h" // MemMap
#include "output.h" // dprintf
#include "smp.h" // smp_apic_ids
#include "string.h" // memcpy
#include "timer.h" // timer_deadline_us
#include "x86.h" // inl

#define SMRAM_LEGACY_BASE   0xa0000
#define SMRAM_LEGACY_SIZE   0x20000
#define SMM_WINDOW          0x10000
#define SMM_SLOT_SIZE       0x200
#define SMM_SLOTS_PER_WINDOW ((SMM_SAVE_START - SMM_ENTRY) / SMM_SLOT_SIZE)
#define SMM_STASH           (SMM_SAVE_START - SMM_ENTRY \
                             + SMM_SLOTS_PER_WINDOW * SMM_SLOT_SIZE)
#define SMM_TSEG_MIN_TOP    (16 * 1024 * 1024)
#define SMM_TIMEOUT_US      100000
#define SMM_RELOC_ENTRY     (SMM_DEFAULT_SMBASE + SMM_ENTRY)
#define SMM_RELOC_SAVE      (SMM_DEFAULT_SMBASE + SMM_SAVE_START)
#define SMM_NO_HANDLER      4 // relocated, but the second SMI went unseen
#define LAPIC_ICR_SMI       0x00000200 // delivery mode 010b
#define XAPIC_MAX_ID        254 // 255 is the broadcast destination

_Static_assert(SMM_SLOTS_PER_WINDOW == 63, "smm slot layout");
_Static_assert(SMM_HANDLER_MAX <= SMM_SLOT_SIZE, "handler fits a slot");
_Static_assert(SMM_SAVE_SIZE <= SMM_SLOT_SIZE, "save state fits a slot");
_Static_assert(SMM_STASH + SMM_RELOC_MAX + SMM_SAVE_SIZE <= SMM_WINDOW,
               "stash fits the end of the first window");

// The relocation handler's parameters and results (src/smm.S).
struct smm_reloc_data {
    u32 smbase;
    u32 check_addr;
    u32 check_value;
    u32 revision;
    u32 status;
}; // five u32s: no padding, and smm.S aligns it to 4
_Static_assert(sizeof(struct smm_reloc_data) == 20, "smm_reloc_data layout");

extern const char smm_reloc_start[], smm_reloc_data[], smm_reloc_end[];
extern const char smm_handler_start[], smm_handler_cookie[];
extern const char smm_handler_count[], smm_handler_end[];

// TSEG's base as POST reserved it (0: none); S3 resume needs it again.
static u32 SmmTseg __attribute__((section(".data.resume")));

static struct {
    bool ready; // SMRAM set up by smm_setup(), to be locked
    bool bsp_done; // the BSP's SMBASE is in SMRAM
    u8 smram_reg; // the host bridge's SMRAM register, by chipset
    u32 base, size; // SMRAM
    u32 cookie;
    u32 revision;
    u32 cpus, relocated;
} Smm;

/****************************************************************
 * Chipset
 ****************************************************************/

static bool
smm_qemu_enabled(enum machine_type machine)
{
    if (machine == MACHINE_I440FX) {
        if (pci_config_readl(PIIX_PM_BDF, PCI_VENDOR_ID) != PCI_ID_PIIX4_PM)
            return false;
        return !(pci_config_readb(PIIX_PM_BDF, PIIX_DEVACTB_HIGH)
                 & PIIX_DEVACTB_HIGH_APMC_EN);
    }
    // ICH9: SMI_EN sits in the PM I/O block; a disabled block reads all
    // ones, which also means "no".
    return !(inl(PORT_ACPI_PM_BASE + ICH9_PMIO_SMI_EN) & ICH9_SMI_EN_APMC_EN);
}

// One config write, one memory map change.
static void
smram_write(u8 bits)
{
    pci_config_modb(PCI_BDF(0, 0, 0), Smm.smram_reg, ~SMRAM_C_BASE_SEG,
                    bits);
}

static u8
esmramc_read(void)
{
    return pci_config_readb(PCI_BDF(0, 0, 0), Q35_ESMRAMC);
}

// Q35: ESMRAMC with SMRAM not moved to 0xfeda0000 (H_SMRAME), TSEG 1 MiB
// and T_EN as asked; written only when that changes something.
static void
esmramc_write(u8 t_en)
{
    u8 old = esmramc_read();
    u8 value = (old & ~(ESMRAMC_H_SMRAME | ESMRAMC_TSEG_SZ | ESMRAMC_T_EN))
        | t_en;
    if (value != old)
        pci_config_writeb(PCI_BDF(0, 0, 0), Q35_ESMRAMC, value);
}

// Make SMRAM writable for us: TSEG off (plain RAM until the lock), or
// the legacy window open to everyone and enabled for SMM.
static void
smram_open(void)
{
    if (SmmTseg) {
        esmramc_write(0);
        Smm.base = SmmTseg;
        Smm.size = SMM_TSEG_SIZE;
    } else {
        smram_write(SMRAM_G_SMRAME | SMRAM_D_OPEN);
        Smm.base = SMRAM_LEGACY_BASE;
        Smm.size = SMRAM_LEGACY_SIZE;
    }
}

// TSEG on (T_EN locks with D_LCK) or the legacy window closed, then
// SMRAM control locked until the next reset. Returns 0 when the
// registers read back locked.
static int
smram_lock(void)
{
    if (SmmTseg)
        esmramc_write(ESMRAMC_T_EN);
    smram_write(SMRAM_G_SMRAME | SMRAM_D_LCK);
    u8 smram = pci_config_readb(PCI_BDF(0, 0, 0), Smm.smram_reg);
    if ((smram & (SMRAM_D_LCK | SMRAM_D_OPEN)) != SMRAM_D_LCK
        || (SmmTseg && !(esmramc_read() & ESMRAMC_T_EN))) {
        dprintf(LOG_ERR, "smm: smram lock did not take (smram 0x%02x)\n",
                smram);
        return -1;
    }
    return 0;
}

/****************************************************************
 * SMBASE relocation
 ****************************************************************/

static u32
smm_max_cpus(void)
{
    return Smm.size / SMM_WINDOW * SMM_SLOTS_PER_WINDOW;
}

static u32
smm_smbase(u32 slot)
{
    return Smm.base - SMM_ENTRY + slot / SMM_SLOTS_PER_WINDOW * SMM_WINDOW
        + slot % SMM_SLOTS_PER_WINDOW * SMM_SLOT_SIZE;
}

// Slot 0 (the BSP's) has its entry at SMRAM's first byte: no division.
static u32
smm_bsp_smbase(void)
{
    return Smm.base - SMM_ENTRY;
}

// A field of the handler copy that runs for SMBASE smbase.
static volatile u32 *
smm_handler_field(u32 smbase, const char *field)
{
    return (volatile u32 *)(smbase + SMM_ENTRY + (field - smm_handler_start));
}

static volatile struct smm_reloc_data *
smm_reloc_data_fl(void)
{
    return (volatile struct smm_reloc_data *)
        (SMM_RELOC_ENTRY + (smm_reloc_data - smm_reloc_start));
}

// A copy of the handler at SMBASE smbase's entry (SMRAM is open to us).
static void
smm_handler_install(u32 smbase)
{
    memcpy((void *)(smbase + SMM_ENTRY), smm_handler_start,
           smm_handler_end - smm_handler_start);
}

// Send the CPU an SMI, then wait until *word is no longer old or the
// timeout passes; returns *word. Both SMIs of a relocation go through
// here: one copy of the send and the wait to translate.
static u32
smm_smi_wait(u32 apic_id, volatile u32 *word, u32 old)
{
    lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
    lapic_write(LAPIC_ICR_LOW, LAPIC_ICR_ASSERT | LAPIC_ICR_SMI);
    while (lapic_read(LAPIC_ICR_LOW) & LAPIC_ICR_PENDING)
        cpu_relax();
    // QEMU has usually run the SMI by the time the ICR is idle. Only
    // when it has not is a deadline needed: that spares the common case
    // the timer, whose first use may wait for the PIT calibration.
    if (*word == old) {
        u64 deadline = timer_deadline_us(SMM_TIMEOUT_US);
        while (*word == old && !timer_passed(deadline))
            cpu_relax();
    }
    return *word;
}

// Put the relocation handler at 0x38000, keeping what was there and
// under the save state in the stash.
static void
smm_reloc_install(void)
{
    u32 size = smm_reloc_end - smm_reloc_start;
    u8 *stash = (u8 *)Smm.base + SMM_STASH;
    memcpy(stash, (void *)SMM_RELOC_ENTRY, SMM_RELOC_MAX);
    memcpy(stash + SMM_RELOC_MAX, (void *)SMM_RELOC_SAVE, SMM_SAVE_SIZE);
    memcpy((void *)SMM_RELOC_ENTRY, smm_reloc_start, size);
    volatile struct smm_reloc_data *data = smm_reloc_data_fl();
    data->check_addr = (u32)smm_handler_field(smm_bsp_smbase(),
                                              smm_handler_cookie);
    data->check_value = Smm.cookie;
}

static void
smm_reloc_remove(bool failed)
{
    // A CPU that missed the deadline may still take its SMI: give it a
    // moment before the RAM under it changes back.
    if (failed)
        udelay(1000);
    u8 *stash = (u8 *)Smm.base + SMM_STASH;
    memcpy((void *)SMM_RELOC_ENTRY, stash, SMM_RELOC_MAX);
    memcpy((void *)SMM_RELOC_SAVE, stash + SMM_RELOC_MAX, SMM_SAVE_SIZE);
}

// Move one CPU's SMBASE to smbase, whose handler is installed. Returns
// SMM_RELOC_DONE once a second SMI ran that handler, which also proves
// the CPU left the relocation handler and its save state at 0x3fe00.
static u32
smm_relocate(u32 apic_id, u32 smbase)
{
    volatile struct smm_reloc_data *data = smm_reloc_data_fl();
    data->smbase = smbase;
    data->status = SMM_RELOC_PENDING;
    barrier();
    u32 status = smm_smi_wait(apic_id, &data->status, SMM_RELOC_PENDING);
    Smm.revision = data->revision;
    if (status != SMM_RELOC_DONE)
        return status;
    volatile u32 *count = smm_handler_field(smbase, smm_handler_count);
    u32 before = *count;
    return smm_smi_wait(apic_id, count, before) != before ? SMM_RELOC_DONE
        : SMM_NO_HANDLER;
}

static const char *
smm_reloc_error(u32 status)
{
    switch (status) {
    case SMM_RELOC_PENDING: return "no smi taken";
    case SMM_RELOC_NO_SMRAM: return "smm does not see smram";
    case SMM_RELOC_NO_SUPPORT: return "cpu cannot relocate smbase";
    case SMM_NO_HANDLER: return "no smi taken at the new smbase";
    default: return "unknown status";
    }
}

static void
smm_relocate_aps(void)
{
    u32 count = smp_cpu_count();
    Smm.cpus = count;
    if (count <= 1)
        return;
    const u32 *ids = smp_apic_ids();
    smm_reloc_install();
    bool failed = false;
    for (u32 i = 1; i < count; i++) {
        if (i >= smm_max_cpus()) {
            dprintf(LOG_WARN, "smm: no smram slot for %u cpus, they keep"
                    " smbase 0x%05x\n", count - i, SMM_DEFAULT_SMBASE);
            break;
        }
        if (ids[i] > XAPIC_MAX_ID) {
            dprintf(LOG_WARN, "smm: cpu %u has apic id %u, out of xapic"
                    " reach: keeps smbase 0x%05x\n", i, ids[i],
                    SMM_DEFAULT_SMBASE);
            continue;
        }
        u32 smbase = smm_smbase(i);
        smm_handler_install(smbase);
        u32 status = smm_relocate(ids[i], smbase);
        if (status == SMM_RELOC_DONE) {
            Smm.relocated++;
            continue;
        }
        dprintf(LOG_ERR, "smm: cpu %u (apic id %u) relocation failed: %s\n",
                i, ids[i], smm_reloc_error(status));
        failed = true;
        if (status == SMM_RELOC_PENDING)
            break; // SMIs do not get through: the others would wait too
    }
    smm_reloc_remove(failed);
}

/****************************************************************
 * Setup
 ****************************************************************/

u32
smm_tseg_reserve(u32 top)
{
    if (!CONFIG_SMM || shadow_machine() != MACHINE_Q35
        || pci_config_readl(ICH9_LPC_BDF, PCI_VENDOR_ID) != PCI_ID_ICH9_LPC)
        return 0;
    // SMI_EN is in the PM I/O block: enable it now, at the base
    // chipset_setup() programs again later.
    pci_config_writel(ICH9_LPC_BDF, ICH9_PMBASE, PORT_ACPI_PM_BASE | 1);
    pci_config_writeb(ICH9_LPC_BDF, ICH9_ACPI_CNTL, ICH9_ACPI_CNTL_EN);
    if (!smm_qemu_enabled(MACHINE_Q35) || top < SMM_TSEG_MIN_TOP)
        return 0;
    SmmTseg = top - SMM_TSEG_SIZE;
    e820map_add(&MemMap, SmmTseg, SMM_TSEG_SIZE, E820_RESERVED);
    dprintf(LOG_INFO, "smm: tseg 0x%08x-0x%08x reserved\n", SmmTseg,
            top - 1);
    return SMM_TSEG_SIZE;
}

void POST_STEP
smm_setup(void)
{
    if (!CONFIG_SMM)
        return;
    enum machine_type machine = shadow_machine();
    if (machine == MACHINE_UNKNOWN) {
        dprintf(LOG_INFO, "smm: unknown chipset, not set up\n");
        return;
    }
    if (!smm_qemu_enabled(machine)) {
        dprintf(LOG_INFO, "smm: not available (qemu runs without smm),"
                " not set up\n");
        return;
    }
    if (machine == MACHINE_Q35 && !SmmTseg) {
        dprintf(LOG_WARN, "smm: no tseg reserved, not set up\n");
        return;
    }
    Smm.smram_reg = machine == MACHINE_Q35 ? Q35_SMRAM : I440FX_SMRAM;
    smram_open();
    Smm.ready = true;
    Smm.cpus = 1;
    Smm.cookie = (u32)rdtsc() | 1;
    u32 smbase = smm_bsp_smbase();
    smm_handler_install(smbase);
    *smm_handler_field(smbase, smm_handler_cookie) = Smm.cookie;
    smm_reloc_install();
    u32 bsp = lapic_read(LAPIC_ID) >> 24;
    u32 status = smm_relocate(bsp, smbase);
    smm_reloc_remove(status != SMM_RELOC_DONE);
    if (status != SMM_RELOC_DONE) {
        dprintf(LOG_ERR, "smm: bsp (apic id %u) relocation failed: %s,"
                " no smi handler\n", bsp, smm_reloc_error(status));
        return;
    }
    Smm.bsp_done = true;
    Smm.relocated = 1;
    dprintf(LOG_DEBUG, "smm: bsp smbase 0x%08x, handler at 0x%08x, save"
            " state revision 0x%08x\n", smbase, smbase + SMM_ENTRY,
            Smm.revision);
}

void POST_STEP
smm_ap_setup(void)
{
    if (!Smm.ready)
        return;
    if (Smm.bsp_done)
        smm_relocate_aps();
    if (smram_lock() || !output_active()) // the rest is the log line
        return;
    const char *where = SmmTseg ? "tseg" : "legacy";
    if (!Smm.bsp_done) {
        dprintf(LOG_WARN, "smm: no smi handler, smram locked (%s)\n", where);
        return;
    }
    dprintf(LOG_INFO, "smm: smbase 0x%08x relocated, smram locked (%s),"
            " %u of %u cpus\n", smm_bsp_smbase(), where, Smm.relocated,
            Smm.cpus);
}

void
smm_resume(void)
{
    smm_setup();
    smm_ap_setup();
}
