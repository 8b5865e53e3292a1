#!/usr/bin/env bash
# tests/boot/regs.sh: one image (tests/boot/regs.conf) of apps that try to read or keep each other's register state; each is contained and the victims' state survives.
. tests/boot/lib.sh
img=$B/test/regs
s=$UV_OUT/serial.txt
uv_boot_path "$img" "$s" 60 240
booted regs "$s" || exit 1

# x87/SSE/AVX and MXCSR, whatever XCR0 an app sets (the kernel's own XRSTOR never faults).
for a in fpu-victim fpu-spy; do relay regs "$s" "$a"; done
# Debug registers: no app reads or sets DR0-DR7 (SVM too), so none aims at the kernel.
stopped dr-write "unsupported instruction: mov to DR0 rip="
stopped dr-read "unsupported instruction: mov from DR1 rip="
stopped dr7-arm "unsupported instruction: mov to DR7 rip="
expect_not regs.dr.no-escape "$s" '^dr[a-z0-9-]*: ESCAPED'
# Single-stepping across what the kernel completes, with its own handler and without.
relay regs "$s" tf-guest
expect regs.tf-intercept.call-completed "$s" '^tf-intercept: stepped over the hypercall$'
stopped tf-intercept "debug \\(#DB\\): single-step trap after an instruction the kernel completed rip="
expect_not regs.tf-intercept.no-escape "$s" '^tf-intercept: ESCAPED'
# A #DB handler that re-arms TF forever: each trap passes through the kernel.
relay regs "$s" db-storm
expect regs.db-storm.exits "$s" "^app 'db-storm' exited with status 0$"
expect regs.db-storm.every-trap-exited "$s" '^  db-storm +exited .* exc=20000( |$)'
expect regs.counter.kept-going-during-storms "$s" '^counter: quarter=4$' 
# CR2, FS/GS base, KERNEL_GS_BASE stay with their app.
for a in regs-victim regs-spy; do relay regs "$s" "$a"; done
# RDTSCP/RDPID: the app's own TSC_AUX.
for a in tscaux-a tscaux-b; do relay regs "$s" "$a"; done
# A restarted app and a late-started one find nothing of anyone.
stopped restart-clean "page fault \\(#PF\\) read at 0x7f0012340000"
relay regs "$s" restart-clean
relay regs "$s" fresh-start
# Zero on first touch: each chunk of RAM the app reaches first is zeroed then (an EPT/NPT
# violation inside its RAM resumes it), also after a restart that follows its own writes.
relay regs "$s" first-touch
expect regs.first-touch.chunks-touched-late "$s" '^  first-touch +exited .* mem=(1[0-9]|[2-9][0-9])( |$)'
expect regs.counter.done "$s" '^counter: done$'

expect_count regs.summary-lines "$s" '^  [a-z0-9-]+ +(exited|stopped) +status=' 16
expect regs.run-ended "$s" '^univisor: run ended, powering off$'
expect_not regs.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
