package provider

import (
	"context"
	"errors"
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

// serveOnce makes two requests of srv with a context that carries a new
// payload, and returns a weak pointer to the payload: nothing else refers to
// it once the requests are served, unless the server kept their context.
//
//go:noinline
func serveOnce(t *testing.T, srv tfprotov6.ProviderServer) weak.Pointer[requestPayload] {
	t.Helper()
	payload := new(requestPayload)
	ctx := context.WithValue(context.Background(), requestValueKey{}, payload)
	if _, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
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
	srv := newProtocol6Server(&tenantProvider{version: "test", clock: testClock})()
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
		t.Log("the framework's own server no longer holds served requests' contexts: the releasing server may not be needed anymore")
	}
	runtime.KeepAlive(fw)
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
