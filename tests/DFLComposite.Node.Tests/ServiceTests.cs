using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DFLComposite.Engine.Media;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Node.Tests;

/// <summary>`dflc serve` for real: a node on a free port, real jobs on ../shared/data, a real SQLite store, real children.</summary>
[Collection("job files")]
public sealed class ServiceTests(JobFileFixture data, ITestOutputHelper output)
{
    private string Root => Path.GetDirectoryName(data.Folder("root"))!;

    private NodeProcess Node() => new(data.Folder("node"), Root, TestPaths.SharedData);

    private string MergeSpec(string input, string outputPath) =>
        new JsonObject { ["kind"] = "merge", ["workspace"] = data.Trained.A, ["input"] = input, ["output"] = outputPath }.ToJsonString();

    private static async Task<string> SubmitAsync(HttpClient client, string spec)
    {
        HttpResponseMessage r = await client.PostAsync("/v1/jobs", new StringContent(spec, Encoding.UTF8, "application/json"));
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Created, $"{(int)r.StatusCode}: {body}");
        return (string)JsonNode.Parse(body)!["id"]!;
    }

    private static async Task<JsonNode> JobAsync(HttpClient client, string id) => JsonNode.Parse(await client.GetStringAsync($"/v1/jobs/{id}"))!;

    private static async Task<JsonNode> WaitAsync(HttpClient client, string id, Func<JsonNode, bool> until, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (limit ?? TimeSpan.FromMinutes(5)))
        {
            JsonNode job = await JobAsync(client, id);
            if (until(job))
            {
                return job;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"job {id} did not get there: {await client.GetStringAsync($"/v1/jobs/{id}")}");
    }

    private static async Task<List<JsonNode>> EventsAsync(NodeProcess node, string id, string? token = null)
    {
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{node.Port}/v1/jobs/{id}/events?token={Uri.EscapeDataString(token ?? node.Token)}"), CancellationToken.None);
        var messages = new List<JsonNode>();
        var buffer = new byte[1 << 16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        while (ws.State == WebSocketState.Open)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult r;
            do
            {
                r = await ws.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, r.Count);
            }
            while (!r.EndOfMessage);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            messages.Add(JsonNode.Parse(message.ToArray())!);
        }

        return messages;
    }

    [SkippableFact]
    public async Task A_merge_job_streams_its_events_in_order_to_done_and_writes_the_clip()
    {
        string d0 = TestPaths.Media("video/d0.mp4");
        using NodeProcess node = Node();
        using HttpClient client = node.Client();
        string outFile = Path.Combine(data.Folder("served"), "d0.mp4");
        string id = await SubmitAsync(client, MergeSpec(d0, outFile));
        List<JsonNode> events = await EventsAsync(node, id);
        output.WriteLine($"{events.Count} events; first {events[0].ToJsonString()[..80]}; last {events[^1].ToJsonString()}");
        Assert.Equal("state", (string?)events[0]["type"]);
        Assert.Equal("done", (string?)events[^1]["state"]);
        double last = -1;
        foreach (JsonNode e in events.Where(e => (string?)e["type"] == "progress"))
        {
            double f = (double)e["fraction"]!;
            Assert.True(f >= last, "progress goes forward");
            last = f;
        }

        Assert.Equal(1, last);
        Assert.Contains(events, e => (string?)e["type"] == "preview");
        MediaInfo info = VideoProbe.Probe(outFile), source = VideoProbe.Probe(d0);
        Assert.Equal((source.Width, source.Height, source.FrameCount, source.FrameRate), (info.Width, info.Height, info.FrameCount, info.FrameRate));
        JsonNode job = await JobAsync(client, id);
        Assert.Equal(outFile, (string?)job["results"]![0]);
        HttpResponseMessage preview = await client.GetAsync($"/v1/jobs/{id}/preview.png");
        Assert.Equal("image/png", preview.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Merged 78 frames", await client.GetStringAsync($"/v1/jobs/{id}/log"), StringComparison.Ordinal);
        Assert.Contains("\"/v1/jobs\"", await client.GetStringAsync("/openapi/v1.json"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_swap_job_goes_through_extraction_training_and_merge_with_progress_for_each()
    {
        using NodeProcess node = Node();
        using HttpClient client = node.Client();
        string dir = data.Folder("served-swap");
        var spec = new JsonObject
        {
            ["kind"] = "swap", ["src"] = new JsonArray(TestPaths.Media("video/d18.mp4")), ["dst"] = TestPaths.Media("video/d0.mp4"),
            ["output"] = Path.Combine(dir, "swapped.mp4"), ["workspace"] = Path.Combine(dir, "ws"),
            ["extract"] = new JsonObject { ["every"] = 8, ["size"] = 96 },
            ["model"] = new JsonObject { ["model"] = "saehd", ["archi"] = "df", ["resolution"] = 64, ["aeDims"] = 32, ["eDims"] = 8, ["dDims"] = 8, ["dMaskDims"] = 4 },
            ["train"] = new JsonObject { ["maxIterations"] = 2, ["batchSize"] = 2, ["reportEvery"] = 1 },
        };
        string id = await SubmitAsync(client, spec.ToJsonString());
        List<JsonNode> events = await EventsAsync(node, id);
        string[] stages = events.Where(e => (string?)e["type"] == "progress").Select(e => (string)e["stage"]!).Distinct().ToArray();
        output.WriteLine("stages: " + string.Join(" -> ", stages));
        Assert.Equal(["extract src", "extract dst", "train", "merge"], stages);
        Assert.Equal("done", (string?)events[^1]["state"]);
        Assert.Equal(78, VideoProbe.Probe(Path.Combine(dir, "swapped.mp4")).FrameCount);
    }

    [SkippableFact]
    public async Task Every_endpoint_needs_the_token_the_host_header_and_paths_inside_the_roots()
    {
        using NodeProcess node = Node();
        string[] endpoints = ["/v1/health", "/v1/plugins", "/v1/models", "/v1/jobs", "/v1/jobs/x", "/v1/jobs/x/log", "/v1/jobs/x/preview.png", "/v1/schema/merge", "/v1/files", "/openapi/v1.json"];
        foreach (string? token in new[] { null, "not-the-token" })
        {
            using var client = new HttpClient { BaseAddress = new Uri(node.Url) };
            if (token is not null)
            {
                client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            }

            foreach (string e in endpoints)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(e)).StatusCode);
            }

            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/v1/jobs", new StringContent("{}"))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.DeleteAsync("/v1/jobs/x")).StatusCode);
            using var ws = new ClientWebSocket();
            ws.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(new Uri($"ws://127.0.0.1:{node.Port}/v1/jobs/x/events?token={token}"), CancellationToken.None));
            Assert.Equal(HttpStatusCode.Unauthorized, ws.HttpStatusCode);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(node.TokenFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(node.TokenFile)!));
        }

        Assert.True(node.Token.Length >= 43, "at least 256 bits");

        using HttpClient good = node.Client();
        var rebinding = new HttpRequestMessage(HttpMethod.Get, "/v1/health");
        rebinding.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await good.SendAsync(rebinding)).StatusCode);
        var otherPort = new HttpRequestMessage(HttpMethod.Get, "/v1/health");
        otherPort.Headers.Host = "127.0.0.1:1";
        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await good.SendAsync(otherPort)).StatusCode);

        string d0 = TestPaths.Media("video/d0.mp4"), inside = data.Folder("paths");
        string link = Path.Combine(inside, "out-link");
        File.CreateSymbolicLink(link, "/etc");
        foreach ((string input, string named) in new[] { ("../../../etc/hostname", "/etc/hostname"), ("/etc/hostname", "/etc/hostname"), (Path.Combine(link, "hostname"), link) })
        {
            HttpResponseMessage r = await good.PostAsync("/v1/jobs", new StringContent(MergeSpec(input, Path.Combine(inside, "o.mp4"))));
            string body = await r.Content.ReadAsStringAsync();
            output.WriteLine($"{input}: {(int)r.StatusCode} {body}");
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Contains("$.input", body, StringComparison.Ordinal);
            Assert.Contains(named, body, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Created, (await good.PostAsync("/v1/jobs", new StringContent(MergeSpec(d0, Path.Combine(inside, "ok.mp4"))))).StatusCode);

        var big = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = new ByteArrayContent(new byte[100 << 20]) };
        big.Headers.ExpectContinue = true;
        HttpResponseMessage tooBig = await good.SendAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);

        // listening on loopback only: the kernel's socket table, and a connection attempt on every other address
        string hexPort = node.Port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        string[] listening = File.ReadLines("/proc/net/tcp").Concat(File.ReadLines("/proc/net/tcp6")).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length > 3 && c[3] == "0A" && c[1].EndsWith(":" + hexPort, StringComparison.Ordinal))
            .Select(c => c[1].Split(':')[0]).ToArray();
        output.WriteLine("listening on " + string.Join(", ", listening));
        Assert.NotEmpty(listening);
        Assert.All(listening, a => Assert.Contains(a, new[] { "0100007F", "00000000000000000000000001000000" }));
        foreach (IPAddress address in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                     .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(u => u.Address).Where(a => !IPAddress.IsLoopback(a)))
        {
            using var socket = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => socket.Connect(new IPEndPoint(address, node.Port)));
        }
    }

    [SkippableFact]
    public async Task A_bad_job_is_refused_with_its_json_path_and_leaves_the_store_unchanged()
    {
        string d0 = TestPaths.Media("video/d0.mp4");
        using NodeProcess node = Node();
        using HttpClient client = node.Client();
        int before = JsonNode.Parse(await client.GetStringAsync("/v1/jobs"))!.AsArray().Count;
        string dir = data.Folder("bad-jobs");
        (string Spec, HttpStatusCode Status, string Path)[] cases =
        [
            ($$"""{"kind": "merge", "workspace": "{{data.Trained.A}}", "input": "{{d0}}", "output": "{{dir}}/o.mp4", "colour": "rct"}""", HttpStatusCode.BadRequest, "$.colour"),
            ($$$"""{"kind": "merge", "workspace": "{{{data.Trained.A}}}", "input": "{{{d0}}}", "output": "{{{dir}}}/o.mp4", "settings": {"erodeMask": "wide"}}""", HttpStatusCode.BadRequest, "$.settings.erodeMask"),
            ($$$"""{"kind": "merge", "workspace": "{{{data.Trained.A}}}", "input": "{{{d0}}}", "output": "{{{dir}}}/o.mp4", "settings": {"erodeMask": 9999}}""", HttpStatusCode.UnprocessableEntity, "$.settings.erodeMask"),
            ($$"""{"kind": "merge", "workspace": "{{data.Trained.A}}", "input": "{{dir}}/missing.mp4", "output": "{{dir}}/o.mp4"}""", HttpStatusCode.UnprocessableEntity, "$.input"),
            ($$$"""{"kind": "merge", "workspace": "{{{data.Trained.A}}}", "input": "{{{d0}}}", "output": "{{{dir}}}/o.mp4", "settings": {"color": "sepia"}}""", HttpStatusCode.UnprocessableEntity, "$.settings.color"),
            ("""{"kind": "teleport"}""", HttpStatusCode.BadRequest, "$.kind"),
            ("not json", HttpStatusCode.BadRequest, "$"),
        ];
        foreach ((string spec, HttpStatusCode status, string path) in cases)
        {
            HttpResponseMessage r = await client.PostAsync("/v1/jobs", new StringContent(spec, Encoding.UTF8, "application/json"));
            string body = await r.Content.ReadAsStringAsync();
            output.WriteLine($"{(int)r.StatusCode} {body}");
            Assert.Equal(status, r.StatusCode);
            Assert.Contains($"\"path\":\"{path}", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        }

        Assert.Equal(before, JsonNode.Parse(await client.GetStringAsync("/v1/jobs"))!.AsArray().Count);
    }

    [SkippableFact]
    public async Task A_merge_survives_the_node_being_killed_and_restarted_and_gives_the_same_clip()
    {
        string d3 = TestPaths.Media("video/d3.mp4");
        string dir = data.Folder("restart"), served = Path.Combine(dir, "served.mp4"), direct = Path.Combine(dir, "direct.mp4");
        using NodeProcess node = Node();
        using HttpClient client = node.Client();
        string id = await SubmitAsync(client, MergeSpec(d3, served));
        await WaitAsync(client, id, j => (double)j["progress"]!["fraction"]! >= 0.2);
        node.Kill();
        output.WriteLine("node killed at >= 20 %");
        node.Start();
        using HttpClient again = node.Client();
        JsonNode job = await WaitAsync(again, id, j => (string?)j["state"] is "done" or "failed" or "cancelled");
        Assert.Equal("done", (string?)job["state"]);
        Assert.Contains("resuming", await again.GetStringAsync($"/v1/jobs/{id}/log"), StringComparison.Ordinal);
        var r = ProcessRunner.Dflc("merge", "-w", data.Trained.A, "-i", d3, "-o", direct);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Equal(FrameHashes(direct), FrameHashes(served));
    }

    [SkippableFact]
    public async Task A_killed_job_process_fails_that_job_and_the_node_carries_on()
    {
        using NodeProcess node = Node();
        using HttpClient client = node.Client();
        string id = await SubmitAsync(client, MergeSpec(TestPaths.Media("video/d3.mp4"), Path.Combine(data.Folder("sigkill"), "o.mp4")));
        await WaitAsync(client, id, j => (double)j["progress"]!["fraction"]! > 0.05);
        int child = Process.GetProcesses().Where(p => p.ProcessName == "dflc" && p.Id != node.Process.Id).Select(p => p.Id)
            .First(pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains(id, StringComparison.Ordinal));
        Assert.Equal(0, ProcessRunner.Run("kill", ["-KILL", child.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode);
        JsonNode job = await WaitAsync(client, id, j => (string?)j["state"] is "failed" or "done");
        output.WriteLine(job["error"]!.ToJsonString());
        Assert.Equal("failed", (string?)job["state"]);
        Assert.Contains("SIGKILL", (string?)job["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/health")).StatusCode);
    }

    [SkippableFact]
    public async Task Cancelling_a_training_saves_its_last_iteration_and_a_resume_continues_from_it()
    {
        using NodeProcess node = Node();
        using HttpClient client = node.Client();
        string ws = Path.Combine(data.Folder("cancel"), "model");
        var spec = new JsonObject
        {
            ["kind"] = "train", ["src"] = data.Extracted.A, ["dst"] = data.Dst, ["workspace"] = ws,
            ["model"] = new JsonObject { ["model"] = "saehd", ["archi"] = "df", ["resolution"] = 96, ["aeDims"] = 128, ["eDims"] = 48, ["dDims"] = 48, ["dMaskDims"] = 16 },
            ["settings"] = new JsonObject { ["batchSize"] = 4, ["reportEvery"] = 1, ["previewEvery"] = 0, ["seed"] = 5 },
        };
        string id = await SubmitAsync(client, spec.ToJsonString());
        await WaitAsync(client, id, j => ((string?)j["progress"]!["message"] ?? "").Contains("[000002]", StringComparison.Ordinal));
        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync($"/v1/jobs/{id}")).StatusCode);
        JsonNode job = await WaitAsync(client, id, j => (string?)j["state"] is "cancelled" or "failed" or "done");
        output.WriteLine($"cancel: the job's process was gone with its checkpoint written {clock.Elapsed.TotalSeconds:F1} s after the request");
        Assert.Equal("cancelled", (string?)job["state"]);
        var info = ProcessRunner.Dflc("model", "info", ws);
        Assert.True(info.ExitCode == 0, info.All);
        long saved = long.Parse(System.Text.RegularExpressions.Regex.Match(info.StdOut, @"iteration\s+.\s+(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(saved >= 2);
        var resumed = ProcessRunner.Dflc("train", "--src", data.Extracted.A, "--dst", data.Dst, "-w", ws, "--resume", "--max-iterations", (saved + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--batch-size", "4", "--report-every", "1", "--preview-every", "0");
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains($"[{saved + 1:D6}]", resumed.StdOut, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Two_hundred_status_requests_at_once_are_all_answered_while_a_job_runs()
    {
        using NodeProcess node = Node();
        using HttpClient client = node.Client();
        string id = await SubmitAsync(client, MergeSpec(TestPaths.Media("video/d3.mp4"), Path.Combine(data.Folder("load"), "o.mp4")));
        await WaitAsync(client, id, j => (string?)j["state"] == "running");
        var times = new double[200];
        HttpStatusCode[] codes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var clock = Stopwatch.StartNew();
            HttpResponseMessage r = await client.GetAsync($"/v1/jobs/{id}");
            times[i] = clock.Elapsed.TotalMilliseconds;
            return r.StatusCode;
        }));
        Array.Sort(times);
        output.WriteLine($"200 concurrent GET /v1/jobs/{{id}} while merging: p50 {times[99]:F0} ms, p99 {times[197]:F0} ms, max {times[199]:F0} ms");
        Assert.All(codes, c => Assert.Equal(HttpStatusCode.OK, c));
        await client.DeleteAsync($"/v1/jobs/{id}");
    }

    private static string FrameHashes(string video) =>
        string.Join('\n', ProcessRunner.Run("ffmpeg", ["-v", "error", "-i", video, "-map", "0:v", "-f", "framemd5", "-"]).StdOut.Split('\n').Where(l => !l.StartsWith('#')));
}
