using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Node.Tests;

/// <summary>
/// The web UI the node serves at /, in Debian's Chromium driven by Playwright (host-adapters/premiere-panel/e2e),
/// against a real `dflc serve` with real jobs: token, picking a clip and the model, a merge with a moving progress bar
/// and a preview to done, a cancelled job, a refused setting, the models tab, the swap wizard. Screenshots of each
/// step are kept in TestResults/panel-e2e.
/// </summary>
[Collection("job files")]
public sealed class PanelEndToEndTests(JobFileFixture data, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task The_page_drives_a_real_node_from_token_to_a_merged_clip_and_a_cancelled_job()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Debian's chromium is missing: ./run.sh setup installs it");
        string panel = Path.Combine(TestPaths.RepoRoot, "host-adapters", "premiere-panel");
        Assert.True(File.Exists(Path.Combine(panel, "dist", "web", "index.html")), "the web UI is not built: ./run.sh setup builds it");
        string root = Path.GetDirectoryName(data.Folder("root"))!, clips = data.Folder("panel-clips");
        string clip = Path.Combine(clips, "d3.mp4");
        File.Copy(TestPaths.Media("video/d3.mp4"), clip);
        using var node = new NodeProcess(data.Folder("panel-node"), root, TestPaths.SharedData);
        string artifacts = Path.Combine(TestPaths.RepoRoot, "TestResults", "panel-e2e");
        var env = new Dictionary<string, string>
        {
            ["DFLC_NODE_URL"] = node.Url, ["DFLC_TOKEN"] = node.Token, ["DFLC_INPUT"] = clip, ["DFLC_MODEL"] = data.Trained.A,
            ["DFLC_SWAP_SRC"] = TestPaths.Media("video/d18.mp4"), ["DFLC_ARTIFACTS"] = artifacts, ["DFLC_TIMEOUT_MS"] = "300000",
        };
        var r = ProcessRunner.Run("node", [Path.Combine(panel, "e2e", "merge.e2e.mjs")], env, timeoutMs: 900_000);
        output.WriteLine(r.All);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Matches(@"\d+ passed, 0 failed", r.StdOut);

        // what the page did, as the node saw it: one merge done with a playable clip, one cancelled without output
        using HttpClient client = node.Client();
        JsonArray jobs = JsonNode.Parse(await client.GetStringAsync("/v1/jobs"))!.AsArray();
        JsonNode done = jobs.First(j => (string?)j!["kind"] == "merge" && (string?)j["state"] == "done")!;
        string result = (string)done["results"]![0]!;
        Assert.Equal(354, Engine.Media.VideoProbe.Probe(result).FrameCount);
        JsonNode cancelled = jobs.First(j => (string?)j!["kind"] == "merge" && (string?)j["state"] == "cancelled")!;
        Assert.False(File.Exists((string)cancelled["spec"]!["output"]!), "a cancelled merge leaves no output");
        Assert.Empty(Directory.GetFiles(clips, "*dflc-tmp*"));
        output.WriteLine($"screenshots: {string.Join(", ", Directory.GetFiles(artifacts, "*.png").Select(Path.GetFileName).Order())}");
    }
}
