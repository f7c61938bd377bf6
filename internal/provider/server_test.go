package provider

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"testing"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type requestValueKey struct{}

// requestPayload stands for what a request's context carries (loggers and
// their fields): big enough to be allocated on its own.
type requestPayload [64 << 10]byte

// serveOnce makes a per-resource request of srv with a context that carries
// a new payload, and returns a weak pointer to the payload: nothing else
// refers to it once the request is served, unless the server kept its
// context.
//
//go:noinline
func serveOnce(t *testing.T, srv tfprotov6.ProviderServer) weak.Pointer[requestPayload] {
	t.Helper()
	payload := new(requestPayload)
	ctx := context.WithValue(context.Background(), requestValueKey{}, payload)
	// Once per process: the framework may keep this request's context.
	if _, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	resp, err := srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "tenant_config"})
	if err != nil || resp == nil {
		t.Fatal(err, resp)
	}
	return weak.Make(payload)
}

func collected(p weak.Pointer[requestPayload]) bool {
	for range 3 {
		runtime.GC()
	}
	return p.Value() == nil
}

// TestServerReleasesRequestContexts: once a request is served, the server
// Terraform talks to keeps nothing of its context.
func TestServerReleasesRequestContexts(t *testing.T) {
	srv := newProtocol6Server(testProvider)()
	if _, ok := srv.(releasingServer); !ok {
		t.Fatalf("the served server is a %T, not the releasing server", srv)
	}
	p := serveOnce(t, srv)
	if !collected(p) {
		t.Error("the provider's server still holds a served request's context")
	}
	runtime.KeepAlive(srv)

	// The framework's own server, for comparison: it keeps every request's
	// context until StopProvider (terraform-plugin-framework 1.19.0).
	fw := providerserver.NewProtocol6(&tenantProvider{version: "test", clock: testClock})()
	p = serveOnce(t, fw)
	if collected(p) {
		t.Error("the framework's own server no longer holds served requests' contexts: remove the releasing server (server.go) and serve the framework's server directly")
	}
	runtime.KeepAlive(fw)
}

// TestReleasingServerHidesNothing: the releasing server answers every method
// of the framework's server, so that tf6server finds every optional part of
// the protocol the framework implements. A framework release that adds one
// fails this test until frameworkServer lists it.
func TestReleasingServerHidesNothing(t *testing.T) {
	fw := providerserver.NewProtocol6(&tenantProvider{version: "test", clock: testClock})()
	wrapped := reflect.TypeOf(releasingServer{})
	fwType := reflect.TypeOf(fw)
	for i := range fwType.NumMethod() {
		m := fwType.Method(i)
		if !m.IsExported() {
			continue
		}
		if _, ok := wrapped.MethodByName(m.Name); !ok {
			t.Errorf("the framework's server has %s, which the releasing server hides: add its interface to frameworkServer", m.Name)
		}
	}
}

// TestRequestContext: while a request is served, its context is the
// request's; once released, it carries no values, and contexts derived from
// it are still canceled with the request's.
func TestRequestContext(t *testing.T) {
	for _, releaseFirst := range []bool{false, true} {
		parent, cancel := context.WithCancel(context.WithValue(context.Background(), requestValueKey{}, "v"))
		rc := newRequestContext(parent)
		// What the framework does with the context it is given.
		child, cancelChild := context.WithCancel(rc)
		if got := child.Value(requestValueKey{}); got != "v" {
			t.Fatalf("a value of the request's context reads %v while served", got)
		}
		if rc.Done() != parent.Done() || rc.Err() != nil || child.Err() != nil {
			t.Fatal("the request context is not the request's while served")
		}
		if releaseFirst {
			rc.release()
			if rc.Err() != nil || child.Err() != nil {
				t.Fatal("a released request context is done before the request's context")
			}
		}
		cancel()
		<-child.Done() // canceled along with the request's context
		if !errors.Is(child.Err(), context.Canceled) || !errors.Is(rc.Err(), context.Canceled) {
			t.Fatalf("after the request's context is canceled: Err() = %v, derived %v", rc.Err(), child.Err())
		}
		rc.release()
		if got := rc.Value(requestValueKey{}); got != nil {
			t.Errorf("a released request context still reads value %v", got)
		}
		if rc.Done() != parent.Done() || !errors.Is(rc.Err(), context.Canceled) {
			t.Error("a released request context lost its Done channel or error")
		}
		cancelChild() // as the framework's StopProvider does, long after
	}
}
