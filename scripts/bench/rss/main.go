//go:build linux || darwin

// Command rss runs a command and records what it cost: wall time, user and
// system CPU time, and peak resident set size, read from the rusage that
// wait4 returns for the finished process (its waited-for children included).
// The command's stdin, stdout and stderr are the process's own, passed on
// untouched, and rss exits with the command's status.
//
// Two ways to use it (both used by scripts/bench.sh):
//
//	rss -o FILE [-label NAME] -- COMMAND [ARG...]
//
// appends one line to FILE for COMMAND. And built as a stand-in for another
// program, with the program and the output file fixed at build time:
//
//	go build -ldflags "-X main.wrapped=REAL -X main.output=FILE" -o DIR/NAME ./scripts/bench/rss
//
// DIR/NAME then runs REAL with its own arguments and appends a line labeled
// NAME to FILE each time it runs. The benchmark puts such a stand-in in the
// dev_overrides directory under the provider's binary name, so that every
// provider process Terraform starts is measured. Terraform's plugin handshake
// goes over the provider's stdout, which is why nothing here writes to it.
//
// A line holds space-separated fields:
//
//	label pid exit wall_s user_s sys_s maxrss_kb
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

// Set with -ldflags -X to build a stand-in for another program.
var (
	wrapped string
	output  string
)

func main() {
	label := filepath.Base(os.Args[0])
	args := os.Args[1:]
	out := output
	if wrapped == "" {
		fs := flag.NewFlagSet("rss", flag.ExitOnError)
		fs.StringVar(&out, "o", "", "append the measurement to this file (required)")
		fs.StringVar(&label, "label", "", "first field of the line (default: the command's name)")
		fs.Usage = func() {
			fmt.Fprintln(os.Stderr, "usage: rss -o FILE [-label NAME] -- COMMAND [ARG...]")
			fs.PrintDefaults()
		}
		_ = fs.Parse(args)
		if out == "" || fs.NArg() == 0 {
			fs.Usage()
			os.Exit(2)
		}
		args = fs.Args()
		if label == "" {
			label = filepath.Base(args[0])
		}
	} else {
		args = append([]string{wrapped}, args...)
	}
	os.Exit(run(label, out, args))
}

func run(label, out string, args []string) int {
	cmd := exec.Command(args[0], args[1:]...)
	// *os.File values are handed to the child as they are: no copying
	// goroutine sits between the command and whoever reads its output.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = sysProcAttr()

	// Interrupts go to the whole process group anyway; a terminate request
	// is passed on, so that the command, not this wrapper, decides.
	signal.Ignore(syscall.SIGINT)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGHUP)

	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "rss: %s\n", err)
		return 127
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	wall := time.Since(start)

	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
		if code < 0 {
			code = 128 + int(exit.Sys().(syscall.WaitStatus).Signal()) //nolint:forcetypeassert // unix only
		}
	} else if err != nil {
		fmt.Fprintf(os.Stderr, "rss: %s\n", err)
		code = 1
	}
	st := cmd.ProcessState
	var maxRSS int64
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		maxRSS = maxRSSKB(ru)
	}
	line := fmt.Sprintf("%s %d %d %.3f %.3f %.3f %d\n", label, st.Pid(), code,
		wall.Seconds(), st.UserTime().Seconds(), st.SystemTime().Seconds(), maxRSS)
	if err := appendLine(out, line); err != nil {
		fmt.Fprintf(os.Stderr, "rss: %s\n", err)
	}
	return code
}

// appendLine appends line with one write, so that processes measured at the
// same time do not interleave their lines.
func appendLine(name, line string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(line)
	return errors.Join(err, f.Close())
}
