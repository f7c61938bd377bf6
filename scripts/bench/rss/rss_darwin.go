package main

import "syscall"

func sysProcAttr() *syscall.SysProcAttr { return nil }

// maxRSSKB returns the peak resident set size in KiB (macOS reports bytes).
func maxRSSKB(ru *syscall.Rusage) int64 { return ru.Maxrss / 1024 }
