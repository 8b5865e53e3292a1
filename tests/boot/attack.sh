#!/usr/bin/env bash
# tests/boot/attack.sh: one image, a hello app and hostile apps: each hostile app is stopped with the right report and the rest go on.
. tests/boot/lib.sh
img=$B/test/attack
s=$UV_OUT/serial.txt
uv_boot_path "$img" "$s" 60 180
booted attack "$s" || exit 1
npt=NPT
insn=VMLOAD
if [ "$UV_PATH" = bochs-vmx ]; then npt=EPT insn=VMXOFF; fi
elf() { echo "build/apps/$1.elf"; }

# The hello app prints through the hypercall and exits with a code the kernel reports.
expect attack.hello.prints "$s" "^hello-asm: hello from a hardware VM$"
expect attack.hello.exit-code "$s" "^app 'hello-asm' exited with status 7$"

stopped io-out "I/O port write 0x80 size 1 rip=0x[0-9a-f]+ <main\\+0x[0-9a-f]+>$"
stopped io-in "I/O port read 0x64 size 2 rip="
stopped rdmsr "rdmsr 0x1b rip="
stopped wrmsr "wrmsr 0xc0000082 value=0x1deadbeef rip="
stopped read-outside "$npt violation read gpa=0x40000000 \\(outside its RAM\\) rip="
stopped write-outside "$npt violation write gpa=0xfee000b0 \\(outside its RAM\\) rip="
stopped write-page0 "page fault \\(#PF\\) write at 0 \\(NULL page\\) error=0x2 \\(not present\\) rip="
stopped vm-insn "unsupported instruction: $insn rip="
stopped cr-write "unsupported instruction: mov to CR0 rip="
relay attack "$s" cr-write
stopped div0 "divide error \\(#DE\\) rip="
# Its own IDT is empty: #UD -> #GP -> #DF -> shutdown. The kernel intercepts #DF even for
# apps with their own exception handling; QEMU's SVM goes straight to the shutdown exit, real
# CPUs and Bochs deliver the #DF first (Bochs 2.7 would panic on an SVM guest's triple fault).
stopped triple-fault "(double fault \\(#DF\\): its exception handling failed|triple fault \\(shutdown\\))"
# The #UD report names the function by the app's symbols, at the right offset; a name too
# long for the report is cut to its first 104 characters, the offset and '>' kept.
ud_sym=crash_here_in_a_function_whose_name_is_longer_than_the_crash_report_has_room_for_so_that_the_report_cuts_it_and_still_ends_with_the_offset
ud_rip=$(printf '0x%x' $(( $(symbol "$(elf ud2)" $ud_sym) + 1 )))
stopped ud2 "invalid opcode \\(#UD\\) rip=$ud_rip <${ud_sym:0:104}\\+0x1>$"
expect attack.report.registers "$s" '^  rax=[0-9a-f]{16} rbx=[0-9a-f]{16} rcx=[0-9a-f]{16} rdx=[0-9a-f]{16}$'
expect attack.report.frames "$s" '^  frame 0: 0x[0-9a-f]+ <_start_c\+0x[0-9a-f]+>$'
expect_not attack.nothing-escaped "$s" 'ESCAPED'

# Hostile hypercall arguments fail cleanly (the app's verdicts) and the app carries on.
relay attack "$s" bad-args
expect attack.bad-args.goes-on "$s" "^app 'bad-args' exited with status 0$"
expect attack.bad-args.denied-counted "$s" '^  bad-args +exited  status=0 .* denied=2 '

# CPUID as an app sees it: only what works there.
relay attack "$s" cpuid-check

# The kernel went on to the end and summed up every app.
expect_count attack.summary-lines "$s" '^  [a-z0-9-]+ +(exited|stopped) +status=' 15
expect attack.run-ended "$s" '^univisor: run ended, powering off$'
expect_not attack.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
