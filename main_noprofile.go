//go:build !profile

package main

// startProfiles does nothing: profiling is built in only with the tag
// profile (see main_profile.go).
func startProfiles() (stop func()) { return func() {} }
