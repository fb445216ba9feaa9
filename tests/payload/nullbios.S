/*
 * nullbios - a 64 KiB "firmware" that only reads the TSC at the reset
 * vector, prints it on the debugcon port and exits QEMU.
 *
 * scripts/bench.py boots it to calibrate the timing method: the TSC value
 * it prints is the offset between the point where the guest TSC is zero
 * (machine reset under KVM, VM start under TCG) and the first firmware
 * instruction.  Ideally ~0; the benchmark reports it and subtracts it.
 *
 * Output on port 0x402:  "NULLBIOS tsc=<16 hex>\n"; then exit code 0x10 on
 * port 0xf4 (QEMU status 33).
 */

#define DEBUGCON_PORT	0x402
#define EXIT_PORT	0xf4

	.section .text, "ax"
	.code16
	.globl	_start
_start:
	/* the image is mapped at 0xffff0000 and 0xf0000; CS base is one of
	 * them and our offsets are file offsets, so use %cs for data */
	movl	%eax, %esi		/* TSC low / high from the reset stub */
	movl	%edx, %edi
	movw	$DEBUGCON_PORT, %dx
	movw	$msg, %bx
1:	movb	%cs:(%bx), %al
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	incw	%bx
	jmp	1b
2:	movl	%edi, %ebp		/* high word first */
	movw	$2, %bx
3:	movw	$8, %cx
4:	roll	$4, %ebp
	movl	%ebp, %eax
	andb	$0x0f, %al
	addb	$'0', %al
	cmpb	$'9', %al
	jbe	5f
	addb	$('a' - '0' - 10), %al
5:	outb	%al, %dx
	loop	4b
	movl	%esi, %ebp
	decw	%bx
	jnz	3b
	movb	$'\n', %al
	outb	%al, %dx
	movb	$0x10, %al
	outb	%al, $EXIT_PORT
	cli
6:	hlt
	jmp	6b

msg:	.asciz	"NULLBIOS tsc="

	/* reset vector: the first instruction executed after reset */
	.org	0xfff0
reset:
	rdtsc
	jmp	_start
	.org	0x10000, 0xff
