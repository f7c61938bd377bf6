package main

import "syscall"

// sysProcAttr asks the kernel to end the command if the wrapper dies first
// (a plugin host may kill the process it started, which is the wrapper).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// maxRSSKB returns the peak resident set size in KiB (Linux reports KiB).
func maxRSSKB(ru *syscall.Rusage) int64 { return ru.Maxrss }
