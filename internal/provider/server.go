package provider

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewProtocol6Server returns the factory of the provider's protocol 6 server,
// for tf6server.Serve: the plugin framework's server, except that the
// framework no longer holds on to a request's context once the request has
// been served.
//
// The framework (1.19.0) derives a cancelable context for every request and
// keeps its cancel function until Terraform calls StopProvider, which it
// does only when it is interrupted. Each cancel function holds its context,
// and with it everything the request's context carries: the loggers that
// terraform-plugin-go sets up afresh for every request, their fields and the
// gRPC stream's context, 10 to 20 KB per request that the garbage collector
// can never free. The provider's live heap, and its resident memory with it,
// so grew with the number of tenants (two requests per tenant in a plan,
// three in an apply). Here the framework is given a context that passes
// everything on to the request's context while the request is served, and
// lets go of it when the request returns: the framework still keeps a cancel
// function per request, but no longer the request's loggers.
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return newProtocol6Server(func() *tenantProvider { return &tenantProvider{version: version, clock: time.Now} })
}

// newProtocol6Server returns the factory of servers, each with a provider
// of its own from newProvider.
func newProtocol6Server(newProvider func() *tenantProvider) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := newProvider()
		s := providerserver.NewProtocol6(p)()
		if fs, ok := s.(frameworkServer); ok {
			return releasingServer{fs}
		}
		// A framework whose server lacks an optional part of the protocol
		// is served as it is: hiding a part would change what it answers.
		return s
	}
}

// frameworkServer is what the framework's protocol 6 server implements: the
// protocol with all its optional parts (list resources, actions, state
// stores), which tf6server looks for. TestReleasingServerHidesNothing fails
// when the framework's server gains a method that this interface lacks.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

var _ frameworkServer = releasingServer{}

// releasingServer is the framework's server, with the requests that
// Terraform makes once per resource instance — and so thousands of times in
// a plan or apply of a large workspace — served through a context released
// when the request returns. Every other request goes to the framework's
// server as it is.
type releasingServer struct {
	frameworkServer
}

// serve calls f with a context that is the request's until f returns.
func serve[Req, Resp any](ctx context.Context, req Req, f func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newRequestContext(ctx)
	defer rc.release()
	return f(rc, req)
}

// ValidateResourceConfig and PlanResourceChange refuse a tenant_config whose
// configuration is over the input limits before the framework decodes it
// (oversizedConfigDiagnostics reads the raw value): the framework's decoding
// and value transforms grow faster than the value (30,000 keys cost 52 s of
// provider CPU; hashicorp/terraform-plugin-framework#775), and the pre-check
// can go when that is linear. TestOversizedConfig keeps it from refusing a
// configuration within render's limits. Every other configuration goes to
// the framework as it is.
func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	if d := oversizedConfigDiagnostics(req.TypeName, req.Config); d != nil {
		return &tfprotov6.ValidateResourceConfigResponse{Diagnostics: d}, nil
	}
	return serve(ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serve(ctx, req, s.frameworkServer.UpgradeResourceState)
}

// ReadResource writes the numbers of the new state as decimal text (see
// withNumbersAsText), so that refreshing an unchanged resource is no drift.
func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return withNumbersAsText(serve(ctx, req, s.frameworkServer.ReadResource))
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if d := oversizedConfigDiagnostics(req.TypeName, req.Config); d != nil {
		return &tfprotov6.PlanResourceChangeResponse{Diagnostics: d}, nil
	}
	return serve(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serve(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s releasingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return serve(ctx, req, s.frameworkServer.CallFunction)
}

// requestContext is the context of one request until release; after it,
// only what a finished request's context needs to answer: the same Done
// channel (closed when the request's context is canceled), its deadline,
// and no values.
//
// Contexts derived from it while the request is served are canceled with
// the request's context as usual: the context package finds the request's
// cancelable context through Value and registers them with it directly.
type requestContext struct {
	ctx         atomic.Pointer[context.Context] // nil once released
	done        <-chan struct{}
	deadline    time.Time
	hasDeadline bool
}

func newRequestContext(ctx context.Context) *requestContext {
	c := &requestContext{done: ctx.Done()}
	c.deadline, c.hasDeadline = ctx.Deadline()
	c.ctx.Store(&ctx)
	return c
}

// release drops the reference to the request's context.
func (c *requestContext) release() { c.ctx.Store(nil) }

func (c *requestContext) Deadline() (time.Time, bool) { return c.deadline, c.hasDeadline }

func (c *requestContext) Done() <-chan struct{} { return c.done }

func (c *requestContext) Err() error {
	if ctx := c.ctx.Load(); ctx != nil {
		return (*ctx).Err()
	}
	select {
	case <-c.done:
		if c.hasDeadline && !time.Now().Before(c.deadline) {
			return context.DeadlineExceeded
		}
		return context.Canceled
	default:
		return nil
	}
}

func (c *requestContext) Value(key any) any {
	if ctx := c.ctx.Load(); ctx != nil {
		return (*ctx).Value(key)
	}
	return nil
}

func (c *requestContext) String() string { return "provider request context" }
