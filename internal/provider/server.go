package provider

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
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
	return newProtocol6Server(New(version)())
}

func newProtocol6Server(p provider.Provider) func() tfprotov6.ProviderServer {
	framework := providerserver.NewProtocol6(p)
	return func() tfprotov6.ProviderServer {
		s := framework()
		if fs, ok := s.(frameworkServer); ok {
			return releasingServer{next: fs}
		}
		// A framework whose server lacks an optional part of the protocol
		// is served as it is: hiding a part would change what it answers.
		return s
	}
}

// frameworkServer is what the framework's protocol 6 server implements: the
// protocol with all its optional parts (list resources, actions, state
// stores), which tf6server looks for.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

var _ frameworkServer = releasingServer{}

// releasingServer serves each request with next, through a requestContext
// released when next returns. Requests whose response is a stream that
// next fills after returning (ListResource, InvokeAction, ReadStateBytes)
// keep the request's context as it is: the stream still needs it.
type releasingServer struct {
	next frameworkServer
}

// serve calls f with a context that is the request's until f returns.
func serve[Req, Resp any](ctx context.Context, req Req, f func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newRequestContext(ctx)
	defer rc.release()
	return f(rc, req)
}

func (s releasingServer) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return serve(ctx, req, s.next.GetMetadata)
}

func (s releasingServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return serve(ctx, req, s.next.GetProviderSchema)
}

func (s releasingServer) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return serve(ctx, req, s.next.GetResourceIdentitySchemas)
}

func (s releasingServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return serve(ctx, req, s.next.ValidateProviderConfig)
}

func (s releasingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return serve(ctx, req, s.next.ConfigureProvider)
}

func (s releasingServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return serve(ctx, req, s.next.StopProvider)
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serve(ctx, req, s.next.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serve(ctx, req, s.next.UpgradeResourceState)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serve(ctx, req, s.next.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serve(ctx, req, s.next.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serve(ctx, req, s.next.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serve(ctx, req, s.next.ImportResourceState)
}

func (s releasingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return serve(ctx, req, s.next.MoveResourceState)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return serve(ctx, req, s.next.UpgradeResourceIdentity)
}

func (s releasingServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return serve(ctx, req, s.next.GenerateResourceConfig)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serve(ctx, req, s.next.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serve(ctx, req, s.next.ReadDataSource)
}

func (s releasingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return serve(ctx, req, s.next.CallFunction)
}

func (s releasingServer) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return serve(ctx, req, s.next.GetFunctions)
}

func (s releasingServer) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return serve(ctx, req, s.next.ValidateEphemeralResourceConfig)
}

func (s releasingServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return serve(ctx, req, s.next.OpenEphemeralResource)
}

func (s releasingServer) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return serve(ctx, req, s.next.RenewEphemeralResource)
}

func (s releasingServer) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return serve(ctx, req, s.next.CloseEphemeralResource)
}

func (s releasingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return serve(ctx, req, s.next.ValidateListResourceConfig)
}

func (s releasingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return s.next.ListResource(ctx, req)
}

func (s releasingServer) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return serve(ctx, req, s.next.ValidateActionConfig)
}

func (s releasingServer) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return serve(ctx, req, s.next.PlanAction)
}

func (s releasingServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	return s.next.InvokeAction(ctx, req)
}

func (s releasingServer) ValidateStateStoreConfig(ctx context.Context, req *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	return serve(ctx, req, s.next.ValidateStateStoreConfig)
}

func (s releasingServer) ConfigureStateStore(ctx context.Context, req *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	return serve(ctx, req, s.next.ConfigureStateStore)
}

func (s releasingServer) ReadStateBytes(ctx context.Context, req *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	return s.next.ReadStateBytes(ctx, req)
}

func (s releasingServer) WriteStateBytes(ctx context.Context, req *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	return serve(ctx, req, s.next.WriteStateBytes)
}

func (s releasingServer) GetStates(ctx context.Context, req *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	return serve(ctx, req, s.next.GetStates)
}

func (s releasingServer) DeleteState(ctx context.Context, req *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	return serve(ctx, req, s.next.DeleteState)
}

func (s releasingServer) LockState(ctx context.Context, req *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	return serve(ctx, req, s.next.LockState)
}

func (s releasingServer) UnlockState(ctx context.Context, req *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	return serve(ctx, req, s.next.UnlockState)
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
