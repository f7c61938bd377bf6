//go:build profile

package main

import (
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
)

// Profiling, in a build with the tag profile only (go build -tags profile): with TENANT_PROVIDER_CPUPROFILE=<file> the
// provider writes a CPU profile of its whole process to file, and with
// TENANT_PROVIDER_MEMPROFILE=<file> a heap profile when it exits (read them
// with `go tool pprof`). Terraform starts the provider several times in one
// command, so a "%p" in the file name is replaced by the process id.
const (
	envCPUProfile = "TENANT_PROVIDER_CPUPROFILE"
	envMemProfile = "TENANT_PROVIDER_MEMPROFILE"
)

// startProfiles starts what the profiling variables ask for and returns the
// function that writes the profiles; it is called when the server exits.
func startProfiles() (stop func()) {
	var cpu *os.File
	if name := profileFile(envCPUProfile); name != "" {
		f, err := os.Create(name)
		if err == nil {
			if err = pprof.StartCPUProfile(f); err != nil {
				_ = f.Close()
			}
		}
		if err != nil {
			log.Printf("%s: %s", envCPUProfile, err)
		} else {
			cpu = f
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			_ = cpu.Close()
		}
		if name := profileFile(envMemProfile); name != "" {
			f, err := os.Create(name)
			if err == nil {
				runtime.GC() // up-to-date in-use figures; allocation totals are kept anyway
				err = pprof.WriteHeapProfile(f)
				_ = f.Close()
			}
			if err != nil {
				log.Printf("%s: %s", envMemProfile, err)
			}
		}
	}
}

func profileFile(env string) string {
	return strings.ReplaceAll(os.Getenv(env), "%p", strconv.Itoa(os.Getpid()))
}
