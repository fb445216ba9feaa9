/*
 * tinykernel - a minimal Linux/x86 boot protocol (2.15) bzImage used by the
 * ReefBIOS boot benchmark and boot tests.
 *
 * Layout (see tinykernel.ld):
 *   file 0x000 .. (1+setup_sects)*512   real-mode "setup" (boot sector stub,
 *                                        setup header at 0x1f1, code at 0x200)
 *   file (1+setup_sects)*512 .. end      "protected-mode kernel", loaded by the
 *                                        boot loader at 1 MiB (LOADED_HIGH)
 *
 * The boot loader enters the setup in real mode at CS = base + 0x20, IP = 0
 * (i.e. base:0x200).  The instruction at 0x200 is the protocol's two-byte
 * jump over the header; the first instruction after it is RDTSC, so the
 * value printed is the TSC at (handoff + one short jump).
 *
 * Output, on the QEMU debugcon port 0x402 (isa-debugcon), one record per line:
 *   TINYKERNEL tsc=<16 hex> entry=setup16 base=<seg> loader=<type_of_loader>
 *              initrd=<ramdisk_image> initrd_size=<ramdisk_size>
 *              cmdline_ptr=<cmd_line_ptr>            (all on a single line)
 *   TINYKERNEL cmdline=<command line, at most 255 bytes>
 *   TINYKERNEL initrd_sum=<a>,<b> stride=<n hex> only if the command line has
 *                                        "tk.sum" (n = 4) or "tk.sum.page"
 *                                        (n = 4096: one word per 4 KiB page)
 *   TINYKERNEL done
 * then it writes TK_EXIT_CODE to isa-debug-exit at port 0xf4 (QEMU exits with
 * status (TK_EXIT_CODE << 1) | 1 = 33), or halts forever if that device is
 * absent.
 *
 * initrd_sum is a Fletcher-style pair over the little-endian 32-bit words at
 * initrd offsets 0, n, 2n, ... (a += w; b += a; both mod 2^32); a word that
 * would extend past the end is not included.  It lets a test check that the
 * firmware really copied the initrd.  The sampled form exists because the
 * loop runs in (unreal) real mode, which some hypervisors emulate one
 * instruction at a time: a full 64 MiB sum can take tens of seconds there.
 *
 * The protected-mode part holds a kernel_info block and a 32-bit entry point
 * at 1 MiB (code32_start) that prints a similar first line with entry=pm32.
 * Boot loaders that follow the 16-bit protocol never run it; it is there so
 * a loader that jumps straight to the 32-bit entry is diagnosed rather than
 * silently hanging.
 */

#define DEBUGCON_PORT	0x402
#define EXIT_PORT	0xf4
#define TK_EXIT_CODE	0x10

	.section .setup, "ax"
	.code16

/* ---- 0x000: boot sector stub.  Nobody should boot this from a disk. ---- */
	.globl	_start
_start:
	cli
1:	hlt
	jmp	1b

/* ---- 0x1f1: setup header, offsets per Documentation/arch/x86/boot.rst.
 * Every field is preceded by .org: the assembler pads up to it and fails
 * ("attempt to move .org backwards") if the previous field ran over. ---- */
	.org	0x1f1
setup_sects:	.byte	tk_setup_sects		/* computed by the linker script */
	.org	0x1f2
root_flags:	.word	0
	.org	0x1f4
syssize:	.long	tk_syssize		/* pm part size, 16-byte units */
	.org	0x1f8
ram_size:	.word	0
	.org	0x1fa
vid_mode:	.word	0xffff			/* "normal" */
	.org	0x1fc
root_dev:	.word	0
	.org	0x1fe
boot_flag:	.word	0xaa55

	.org	0x200
jump:	.byte	0xeb, setup_code - 0x202	/* jmp short setup_code */
	.org	0x202
header:	.ascii	"HdrS"
	.org	0x206
version:	.word	0x020f			/* protocol 2.15 */
	.org	0x208
realmode_swtch:	.long	0
	.org	0x20c
start_sys_seg:	.word	0x1000			/* obsolete */
	.org	0x20e
kernel_version:	.word	kver_string - 0x200
	.org	0x210
type_of_loader:	.byte	0
	.org	0x211
loadflags:	.byte	0x01			/* LOADED_HIGH */
	.org	0x212
setup_move_size:	.word	0x8000
	.org	0x214
code32_start:	.long	0x100000
	.org	0x218
ramdisk_image:	.long	0
	.org	0x21c
ramdisk_size:	.long	0
	.org	0x220
bootsect_kludge:	.long	0
	.org	0x224
heap_end_ptr:	.word	0
	.org	0x226
ext_loader_ver:	.byte	0
	.org	0x227
ext_loader_type:	.byte	0
	.org	0x228
cmd_line_ptr:	.long	0
	.org	0x22c
initrd_addr_max:	.long	0x7fffffff
	.org	0x230
kernel_alignment:	.long	0x200000
	.org	0x234
relocatable_kernel:	.byte	0
	.org	0x235
min_alignment:	.byte	21
	.org	0x236
xloadflags:	.word	0
	.org	0x238
cmdline_size:	.long	2047
	.org	0x23c
hardware_subarch:	.long	0
	.org	0x240
hardware_subarch_data:	.quad	0
	.org	0x248
payload_offset:	.long	0
	.org	0x24c
payload_length:	.long	0
	.org	0x250
setup_data:	.quad	0
	.org	0x258
pref_address:	.quad	0x100000
	.org	0x260
init_size:	.long	tk_init_size
	.org	0x264
handover_offset:	.long	0
	.org	0x268
kernel_info_offset:	.long	kernel_info - 0x100000

/* ---- setup code: entered at base:0x200 with CS = base + 0x20, IP = 0 ---- */
setup_code:
	rdtsc				/* FIRST instruction: TSC at handoff */
	cli
	cld
	movl	%eax, %esi		/* keep TSC in edi:esi until stored */
	movl	%edx, %edi
	movw	%cs, %ax		/* base = CS - 0x20 */
	subw	$0x20, %ax
	movw	%ax, %ss		/* own stack first, inside our image: */
	movw	$stack_top, %sp		/* don't trust the loader's SS:SP     */
	pushw	%ax			/* reload CS = base, so that offsets */
	pushw	$1f			/* equal file offsets                */
	lretw
1:	movw	%ax, %ds
	movw	%ax, %es
	movl	%esi, tsc_lo
	movl	%edi, tsc_hi

	movw	$s_tsc, %si
	call	puts
	movl	tsc_hi, %eax
	call	puthex32
	movl	tsc_lo, %eax
	call	puthex32
	movw	$s_entry16, %si
	call	puts
	movw	%ds, %ax
	call	puthex16
	movw	$s_loader, %si
	call	puts
	movb	type_of_loader, %al
	call	puthex8
	movw	$s_initrd, %si
	call	puts
	movl	ramdisk_image, %eax
	call	puthex32
	movw	$s_isize, %si
	call	puts
	movl	ramdisk_size, %eax
	call	puthex32
	movw	$s_cmdptr, %si
	call	puts
	movl	cmd_line_ptr, %eax
	call	puthex32
	movb	$'\n', %al
	call	putc

	call	unreal			/* %fs: flat 4 GiB data segment */

	/* second line: the command line (bounded), and look for "tk.sum" */
	movw	$s_cmdline, %si
	call	puts
	movl	cmd_line_ptr, %esi
	xorl	%ecx, %ecx		/* ecx = bytes printed */
	xorb	%bl, %bl		/* bl = 1 once "tk.sum" seen */
	testl	%esi, %esi
	jz	3f
2:	addr32 movb %fs:(%esi), %al
	testb	%al, %al
	jz	3f
	cmpl	$255, %ecx
	jae	3f
	cmpl	$0x75732e6b, %fs:1(%esi)	/* "k.su" */
	jne	4f
	cmpb	$'t', %al
	jne	4f
	cmpb	$'m', %fs:5(%esi)
	jne	4f
	movb	$1, %bl			/* "tk.sum": every word */
	cmpl	$0x65676170, %fs:7(%esi)	/* "tk.sum.page": one per page */
	jne	4f
	cmpb	$'.', %fs:6(%esi)
	jne	4f
	movb	$2, %bl
4:	call	putc
	incl	%esi
	incl	%ecx
	jmp	2b
3:	movb	$'\n', %al
	call	putc

	testb	%bl, %bl
	jz	done
	movl	$4, %edi		/* stride */
	cmpb	$2, %bl
	jne	8f
	movl	$4096, %edi
8:	movl	ramdisk_size, %eax	/* words = (size - 4) / stride + 1 */
	xorl	%ecx, %ecx
	subl	$4, %eax
	jb	9f			/* smaller than one word */
	xorl	%edx, %edx
	divl	%edi
	leal	1(%eax), %ecx
9:	movl	ramdisk_image, %esi
	xorl	%eax, %eax		/* a */
	xorl	%edx, %edx		/* b */
	jecxz	6f
5:	addr32 addl %fs:(%esi), %eax
	addl	%eax, %edx
	addl	%edi, %esi
	decl	%ecx
	jnz	5b
6:	pushl	%eax
	movw	$s_sum, %si
	call	puts
	popl	%eax
	call	puthex32
	movb	$',', %al
	call	putc
	movl	%edx, %eax
	call	puthex32
	movw	$s_stride, %si
	call	puts
	movl	%edi, %eax
	call	puthex32
	movb	$'\n', %al
	call	putc

done:
	movw	$s_done, %si
	call	puts
	movb	$TK_EXIT_CODE, %al
	outb	%al, $EXIT_PORT
7:	hlt
	jmp	7b

/*
 * unreal: load %fs with a flat 4 GiB data segment and return to real mode,
 * so that 32-bit addresses work through %fs (the loader already enabled A20:
 * it put the kernel above 1 MiB).
 */
unreal:
	xorl	%eax, %eax
	movw	%ds, %ax
	shll	$4, %eax
	addl	$gdt, %eax
	movl	%eax, gdt_ptr + 2
	lgdtl	gdt_ptr
	movl	%cr0, %eax
	orb	$1, %al
	movl	%eax, %cr0
	jmp	1f			/* serialise */
1:	movw	$8, %bx
	movw	%bx, %fs
	andb	$0xfe, %al
	movl	%eax, %cr0
	jmp	2f
2:	xorw	%bx, %bx
	movw	%bx, %fs		/* base 0, cached limit stays 4 GiB */
	ret

/* puts: print NUL-terminated %ds:%si.  Clobbers %al, %si. */
puts:
	lodsb
	testb	%al, %al
	jz	1f
	call	putc
	jmp	puts
1:	ret

putc:
	pushw	%dx
	movw	$DEBUGCON_PORT, %dx
	outb	%al, %dx
	popw	%dx
	ret

/* puthex32/16/8: print %eax / %ax / %al as hex. */
puthex32:
	pushw	%cx
	movw	$8, %cx
	jmp	puthex
puthex16:
	pushw	%cx
	shll	$16, %eax
	movw	$4, %cx
	jmp	puthex
puthex8:
	pushw	%cx
	shll	$24, %eax
	movw	$2, %cx
puthex:
	roll	$4, %eax
	pushl	%eax
	andb	$0x0f, %al
	addb	$'0', %al
	cmpb	$'9', %al
	jbe	1f
	addb	$('a' - '0' - 10), %al
1:	call	putc
	popl	%eax
	loop	puthex
	popw	%cx
	ret

	.balign	8
gdt:	.quad	0
	.quad	0x00cf92000000ffff	/* 0x08: data, base 0, limit 4 GiB */
gdt_ptr: .word	gdt_ptr - gdt - 1
	.long	0

	.balign	4
tsc_lo:	.long	0
tsc_hi:	.long	0

s_tsc:		.asciz	"TINYKERNEL tsc="
s_entry16:	.asciz	" entry=setup16 base="
s_loader:	.asciz	" loader="
s_initrd:	.asciz	" initrd="
s_isize:	.asciz	" initrd_size="
s_cmdptr:	.asciz	" cmdline_ptr="
s_cmdline:	.asciz	"TINYKERNEL cmdline="
s_sum:		.asciz	"TINYKERNEL initrd_sum="
s_stride:	.asciz	" stride="
s_done:		.asciz	"TINYKERNEL done\n"
kver_string:	.asciz	"0.1.0-tinykernel (ReefBIOS boot test payload)"

	.balign	16
stack:	.space	512
stack_top:

/* ======================= protected-mode part, at 1 MiB ================== */
	.section .pm, "ax"
	.code32
	.globl	pm_entry
pm_entry:
	rdtsc
	cli
	cld
	movl	%eax, %ebp		/* esi = boot_params (zero page) */
	movl	%edx, %edi
	movl	$p_tsc, %ebx
	call	pm_puts
	movl	%edi, %eax
	call	pm_puthex32
	movl	%ebp, %eax
	call	pm_puthex32
	movl	$p_entry32, %ebx
	call	pm_puts
	movl	0x218(%esi), %eax	/* hdr.ramdisk_image */
	call	pm_puthex32
	movl	$p_isize, %ebx
	call	pm_puts
	movl	0x21c(%esi), %eax	/* hdr.ramdisk_size */
	call	pm_puthex32
	movl	$p_done, %ebx
	call	pm_puts
	movb	$TK_EXIT_CODE, %al
	outb	%al, $EXIT_PORT
1:	hlt
	jmp	1b

pm_puts:
	movb	(%ebx), %al
	testb	%al, %al
	jz	1f
	call	pm_putc
	incl	%ebx
	jmp	pm_puts
1:	ret

pm_putc:
	movw	$DEBUGCON_PORT, %dx
	outb	%al, %dx
	ret

pm_puthex32:
	movl	$8, %ecx
1:	roll	$4, %eax
	pushl	%eax
	andb	$0x0f, %al
	addb	$'0', %al
	cmpb	$'9', %al
	jbe	2f
	addb	$('a' - '0' - 10), %al
2:	call	pm_putc
	popl	%eax
	loop	1b
	ret

p_tsc:		.asciz	"TINYKERNEL tsc="
p_entry32:	.asciz	" entry=pm32 initrd="
p_isize:	.asciz	" initrd_size="
p_done:		.asciz	"\nTINYKERNEL done\n"

/* boot protocol 2.15 kernel_info: "LToP", size, size_total, setup_type_max */
	.balign	4
kernel_info:
	.ascii	"LToP"
	.long	kernel_info_end - kernel_info	/* fixed part */
	.long	kernel_info_end - kernel_info	/* incl. variable data */
	.long	0x80000009	/* SETUP_TYPE_MAX: we ignore setup_data */
kernel_info_end:
