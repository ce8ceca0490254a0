using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using DFLComposite.Engine.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DFLComposite.Node.Service;

/// <summary>
/// <c>/v1/jobs</c>: submit any job spec (the same JSON as `dflc run`), list, read, cancel, follow (WebSocket), the
/// preview image and the log. A rejected job never reaches the store.
/// </summary>
internal static class JobsApi
{
    public static void Map(IEndpointRouteBuilder app, JobStore store, JobScheduler scheduler, JobEvents events, NodeRoots roots, JobRunner validator)
    {
        RouteGroupBuilder jobs = app.MapGroup("/v1/jobs");
        jobs.MapPost("/", async (HttpRequest request) =>
        {
            string body;
            try
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                body = await reader.ReadToEndAsync().ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return Results.Json(Errors([new FieldError("", $"the request body is larger than {ServeOptions.MaxBody} bytes; a job is a few kB")]), statusCode: 413);
            }

            JobSpec spec;
            try
            {
                spec = JobJson.Parse(body, roots.Folders[0]);
            }
            catch (JobValidationException ex)
            {
                return Results.Json(Errors(ex.Errors), statusCode: ex.Shape ? 400 : 422);
            }

            FieldError[] outside = JobPaths.Enumerate(spec).Where(p => !roots.Contains(p.Path))
                .Select(p => new FieldError(p.Field, $"{p.Path} is outside the node's roots ({string.Join(", ", roots.Folders)}); start the node with --root for it"))
                .ToArray();
            if (outside.Length > 0)
            {
                return Results.Json(Errors(outside), statusCode: 403);
            }

            var problems = new List<FieldError>(validator.Validate(spec));
            problems.AddRange(JobPaths.Enumerate(spec).Where(p => p.Role == PathRole.Input && !File.Exists(p.Path) && !Directory.Exists(p.Path))
                .Select(p => new FieldError(p.Field, $"{p.Path}: not found")));
            if (problems.Count == 0)
            {
                try
                {
                    OutputChecks.Check(spec);
                }
                catch (JobValidationException ex)
                {
                    problems.AddRange(ex.Errors);
                }
                catch (Engine.OutputWriteException ex)
                {
                    problems.Add(new FieldError("output", ex.Message));
                }
            }

            if (problems.Count > 0)
            {
                return Results.Json(Errors(problems), statusCode: 422);
            }

            JobRecord job = store.Add(spec.Kind, JobJson.Serialize(spec));
            scheduler.Wake();
            return Results.Json(View(job), statusCode: 201);
        });
        jobs.MapGet("/", () => Results.Json(store.List().Select(View)));
        jobs.MapGet("/{id}", (string id) => store.Get(id) is { } job ? Results.Json(View(job)) : NotFound(id));
        jobs.MapDelete("/{id}", (string id) =>
        {
            JobRecord? job = store.Get(id);
            if (job is null)
            {
                return NotFound(id);
            }

            if (JobStates.Finished(job.State))
            {
                return Results.Json(new { error = $"job {id} has already ended ({job.State})" }, statusCode: 409);
            }

            scheduler.Cancel(id);
            return Results.Json(View(store.Get(id)!), statusCode: 202);
        });
        jobs.MapGet("/{id}/preview.png", (string id) =>
            store.Get(id) is { Preview: { } preview } && File.Exists(preview)
                ? Results.File(File.ReadAllBytes(preview), "image/png")
                : Results.Json(new { error = $"job {id} has no preview (yet)" }, statusCode: 404));
        jobs.MapGet("/{id}/log", (string id) =>
            store.Get(id) is null ? NotFound(id)
                : Results.Text(File.Exists(scheduler.LogOf(id)) ? File.ReadAllText(scheduler.LogOf(id)) : "", "text/plain; charset=utf-8"));
        jobs.MapGet("/{id}/events", (HttpContext ctx, string id) => FollowAsync(ctx, id, store, events));
    }

    /// <summary>The job as the API shows it: state, progress, ETA, results, and the error with the CLI's wording and exit code.</summary>
    public static object View(JobRecord j) => new
    {
        j.Id, j.Kind, j.State,
        Progress = new { j.Stage, j.Fraction, j.Message },
        j.Eta, j.Results,
        Error = j.Error is null ? null : new { Message = j.Error, j.ExitCode },
        j.ExitCode, j.Created, j.Started, j.Finished,
        Preview = j.Preview is null ? null : $"/v1/jobs/{j.Id}/preview.png",
        Spec = JsonNode.Parse(j.Spec),
    };

    private static async Task FollowAsync(HttpContext ctx, string id, JobStore store, JobEvents events)
    {
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            ctx.Response.StatusCode = 400;
            await ctx.Response.WriteAsJsonAsync(new { error = "this is a WebSocket endpoint" }).ConfigureAwait(false);
            return;
        }

        if (store.Get(id) is null)
        {
            ctx.Response.StatusCode = 404;
            return;
        }

        using WebSocket socket = await ctx.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var channel = events.Subscribe(id);
        try
        {
            // the state first, so a client that connects late (or reconnects) knows where the job is
            JobRecord job = store.Get(id)!;
            await SendAsync(socket, new JsonObject { ["type"] = "state", ["state"] = job.State, ["job"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(View(job), NodeJson.Options)) }.ToJsonString(), ctx.RequestAborted).ConfigureAwait(false);
            if (!JobStates.Finished(job.State))
            {
                await foreach (string message in channel.Reader.ReadAllAsync(ctx.RequestAborted).ConfigureAwait(false))
                {
                    await SendAsync(socket, message, ctx.RequestAborted).ConfigureAwait(false);
                }
            }

            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "job ended", ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // the client went away
        }
        finally
        {
            events.Unsubscribe(id, channel);
        }
    }

    private static Task SendAsync(WebSocket socket, string message, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, ct);

    private static object Errors(IEnumerable<FieldError> errors) =>
        new { Errors = errors.Select(e => new { Path = e.Path.Length == 0 ? "$" : "$." + e.Path, e.Message }).ToArray() };

    private static IResult NotFound(string id) => Results.Json(new { error = $"no job {id}" }, statusCode: 404);
}
