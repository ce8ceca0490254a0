using Microsoft.AspNetCore.Http;

namespace DFLComposite.Node.Service;

/// <summary>
/// The node's front door, before anything else runs: the Host header must name this machine's loopback with the
/// node's port (DNS rebinding guard); browsers from other origins get CORS answers only for the configured origins
/// (never `*`, never credentials); every API request carries the token — in the Authorization header, or as
/// <c>?token=</c> on a WebSocket upgrade only (a UXP panel cannot set headers there). The static web UI needs no token
/// (it holds no data; it asks for the token).
/// </summary>
internal sealed class NodeSecurity(NodeToken token, ServeOptions options, Func<int> port)
{
    private static readonly string[] LoopbackHosts = ["127.0.0.1", "[::1]", "::1", "localhost"];

    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        HostString host = ctx.Request.Host;
        if (!host.HasValue || !LoopbackHosts.Contains(host.Host, StringComparer.OrdinalIgnoreCase) || host.Port != port())
        {
            ctx.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            await ctx.Response.WriteAsync($"The Host header must be 127.0.0.1:{port()}, [::1]:{port()} or localhost:{port()}.").ConfigureAwait(false);
            return;
        }

        string? origin = ctx.Request.Headers.Origin;
        bool allowedOrigin = origin is not null && options.AllowOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
        if (allowedOrigin)
        {
            ctx.Response.Headers.AccessControlAllowOrigin = origin;
            ctx.Response.Headers.Vary = "Origin";
        }

        if (HttpMethods.IsOptions(ctx.Request.Method) && ctx.Request.Headers.ContainsKey("Access-Control-Request-Method"))
        {
            if (allowedOrigin)
            {
                ctx.Response.Headers.AccessControlAllowMethods = "GET, POST, DELETE";
                ctx.Response.Headers.AccessControlAllowHeaders = "Authorization, Content-Type";
                ctx.Response.Headers.AccessControlMaxAge = "600";
            }

            ctx.Response.StatusCode = allowedOrigin ? StatusCodes.Status204NoContent : StatusCodes.Status403Forbidden;
            return;
        }

        bool api = ctx.Request.Path.StartsWithSegments("/v1") || ctx.Request.Path.StartsWithSegments("/openapi");
        if (api && !Authorized(ctx))
        {
            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            ctx.Response.Headers.WWWAuthenticate = "Bearer";
            await ctx.Response.WriteAsJsonAsync(new { error = $"wrong or missing token: send `Authorization: Bearer <token>`; the token is in {token.File}" }).ConfigureAwait(false);
            return;
        }

        await next(ctx).ConfigureAwait(false);
    }

    private bool Authorized(HttpContext ctx)
    {
        string? header = ctx.Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return token.Matches(header[7..]);
        }

        return ctx.WebSockets.IsWebSocketRequest && ctx.Request.Query.TryGetValue("token", out var q) && token.Matches(q.ToString());
    }
}
