//go:build !linux && !darwin

// Command rss measures a command's peak memory; it needs the rusage of
// Linux or macOS.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "rss: only Linux and macOS report the rusage it reads")
	os.Exit(2)
}
