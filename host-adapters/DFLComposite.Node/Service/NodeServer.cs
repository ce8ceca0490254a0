using System.Net;
using System.Net.Sockets;
using DFLComposite.Engine.Plugins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Node.Service;

/// <summary>
/// `dflc serve`'s web server: ASP.NET Core minimal APIs on Kestrel, listening on 127.0.0.1 and [::1] only, whatever the
/// flags; the job store, the scheduler and the endpoints; the web UI at <c>/</c> when one is present.
/// </summary>
internal sealed class NodeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly JobScheduler _scheduler;

    private NodeServer(WebApplication app, JobScheduler scheduler, int port, JobStore store)
    {
        (_app, _scheduler, Port, Store) = (app, scheduler, port, store);
    }

    public int Port { get; }

    public JobStore Store { get; }

    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public static async Task<NodeServer> StartAsync(ServeOptions options, PluginCatalog catalog, ILoggerFactory loggers, NodeToken token)
    {
        int port = options.Port > 0 ? options.Port : FreePort();
        bool ipv6 = Socket.OSSupportsIPv6 && CanBind(IPAddress.IPv6Loopback, port);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "dflc", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddOpenApi("v1");
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = ServeOptions.MaxBody;
            k.AddServerHeader = false;
            // loopback only: never another interface, whatever the flags
            k.Listen(IPAddress.Loopback, port);
            if (ipv6)
            {
                k.Listen(IPAddress.IPv6Loopback, port);
            }
        });
        WebApplication app = builder.Build();

        var store = new JobStore(options.State);
        var events = new JobEvents();
        var scheduler = new JobScheduler(store, events, options, loggers.CreateLogger<JobScheduler>());
        var security = new NodeSecurity(token, options, () => port);
        // WebSockets first, only so the guard can tell an upgrade (which may carry the token in its query) from a request
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.Use((ctx, next) => security.InvokeAsync(ctx, next));
        if (options.Web is { } web && Directory.Exists(web))
        {
            var files = new PhysicalFileProvider(Path.GetFullPath(web));
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }
        else
        {
            app.MapGet("/", () => Results.Content(
                $"<!doctype html><meta charset=utf-8><title>DFLComposite node</title><h1>DFLComposite node</h1><p>Running on port {port}; " +
                $"{scheduler.Running} job(s) running, {store.Queued().Count} queued. The API is under <code>/v1</code> " +
                "(<a href=/openapi/v1.json>OpenAPI</a>, token required). No web UI is installed next to dflc.</p>", "text/html; charset=utf-8"));
        }

        app.MapOpenApi("/openapi/{documentName}.json");
        var validator = new JobRunner(new JobContext(catalog, loggers));
        InfoApi.Map(app, catalog, new NodeRoots(options.Roots), options, scheduler, store);
        JobsApi.Map(app, store, scheduler, events, new NodeRoots(options.Roots), validator);

        scheduler.Start();
        await app.StartAsync().ConfigureAwait(false);
        var server = new NodeServer(app, scheduler, port, store)
        {
            Addresses = ipv6 ? [$"http://127.0.0.1:{port}", $"http://[::1]:{port}"] : [$"http://127.0.0.1:{port}"],
        };
        return server;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static bool CanBind(IPAddress address, int port)
    {
        try
        {
            using var probe = new TcpListener(address, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _scheduler.DisposeAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
