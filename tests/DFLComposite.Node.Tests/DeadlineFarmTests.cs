using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Node.Tests;

/// <summary>
/// `dflc farm submit --scheduler deadline`: Deadline 10 cannot be installed here, so its files are checked against what
/// Deadline documents — job info key by key, and the Dflc plugin imported by Debian's python3 against a stand-in of the
/// Deadline module surface it uses (written below), fed the stdout of real `dflc render` runs.
/// </summary>
[Collection("job files")]
public sealed partial class DeadlineFarmTests(JobFileFixture data, ITestOutputHelper output)
{
    // Job info keys from Deadline 10's manual ("Job Info File" of manual submission) that these files may use.
    private static readonly HashSet<string> JobInfoKeys =
    [
        "Plugin", "Name", "Comment", "Department", "BatchName", "Pool", "SecondaryPool", "Group", "Priority", "ChunkSize", "Frames",
        "MachineLimit", "ConcurrentTasks", "OutputDirectory0", "OutputFilename0", "JobDependencies", "TaskTimeoutMinutes", "OnJobComplete",
    ];

    // The part of Deadline's Python surface Dflc.py touches: DeadlinePlugin (callbacks you += to, stdout handlers,
    // plugin info, config, progress, FailRender raising as Deadline's does), PluginType and FileUtils.SearchFileList.
    private const string StandIn = """
        import os

        class _Event:
            def __init__(self):
                self.handlers = []
            def __iadd__(self, handler):
                self.handlers.append(handler)
                return self
            def __call__(self, *args):
                result = None
                for handler in self.handlers:
                    result = handler(*args)
                return result

        class PluginType:
            Simple = "Simple"
            Advanced = "Advanced"

        class RenderFailed(Exception):
            pass

        class _Handler:
            def __init__(self, regex):
                self.Regex = regex
                self.HandleCallback = _Event()

        class DeadlinePlugin:
            def __init__(self):
                self.InitializeProcessCallback = _Event()
                self.RenderExecutableCallback = _Event()
                self.RenderArgumentCallback = _Event()
                self.StdoutHandlers = []
                self.progress, self.status, self.failures = [], [], []
                self.config, self.plugin_info, self.frames = {}, {}, (0, 0)
                self.match = None
            def AddStdoutHandlerCallback(self, regex):
                handler = _Handler(regex)
                self.StdoutHandlers.append(handler)
                return handler
            def GetRegexMatch(self, index):
                return self.match.group(index)
            def SetProgress(self, value):
                self.progress.append(value)
            def SetStatusMessage(self, text):
                self.status.append(text)
            def FailRender(self, message):
                self.failures.append(message)
                raise RenderFailed(message)
            def GetConfigEntry(self, key):
                return self.config[key]
            def GetPluginInfoEntryWithDefault(self, key, default):
                return self.plugin_info.get(key, default)
            def GetStartFrame(self):
                return self.frames[0]
            def GetEndFrame(self):
                return self.frames[1]
        """;

    private const string Scripting = """
        import os
        class FileUtils:
            @staticmethod
            def SearchFileList(candidates):
                return next((c for c in candidates.split(";") if os.path.isfile(c)), "")
        """;

    // Loads Dflc.py as Deadline does (GetDeadlinePlugin), runs its callbacks, feeds it stdout lines, prints what it did.
    private const string Driver = """
        import json, re, sys
        sys.path[:0] = [sys.argv[1], sys.argv[2]]
        import Dflc
        from Deadline.Plugins import RenderFailed
        plugin = Dflc.GetDeadlinePlugin()
        plugin.config = {"DflcExecutable": "/nonexistent/dflc;" + sys.argv[3]}
        plugin.plugin_info = json.loads(sys.argv[4])
        plugin.frames = (10, 14)
        plugin.InitializeProcessCallback()
        result = {"type": str(plugin.PluginType), "executable": plugin.RenderExecutableCallback(), "arguments": plugin.RenderArgumentCallback()}
        for line in open(sys.argv[5], encoding="utf-8").read().splitlines():
            for handler in plugin.StdoutHandlers:
                # Deadline matches each handler's regular expression against each line of output
                plugin.match = re.search(handler.Regex, line)
                if plugin.match:
                    try:
                        handler.HandleCallback()
                    except RenderFailed:
                        pass
        result.update(progress=plugin.progress, failures=plugin.failures)
        Dflc.CleanupDeadlinePlugin(plugin)
        print(json.dumps(result))
        """;

    [SkippableFact]
    public void Deadline_files_use_documented_keys_and_the_plugin_turns_dflc_output_into_progress_and_failures()
    {
        string d0 = TestPaths.Media("video/d0.mp4");
        Skip.If(ProcessRunner.Run("sh", ["-c", "command -v python3"]).ExitCode != 0, "python3 is not installed (Debian's python3 runs the Deadline plugin test)");
        string dir = data.Folder("deadline"), job = Path.Combine(dir, "merge.json"), folder = Path.Combine(dir, "deadline");
        File.WriteAllText(job, $$"""{"kind": "merge", "workspace": "{{data.Trained.A}}", "input": "{{d0}}", "output": "frames"}""");
        var submit = ProcessRunner.Dflc("farm", "submit", "--scheduler", "deadline", "--job", job, "--chunk", "5", "--max-parallel", "3",
            "--assemble", Path.Combine(dir, "out.mp4"), "--partition", "gpu", "--folder", folder);
        output.WriteLine(submit.All.Trim());
        Assert.True(submit.ExitCode == 0, submit.All);
        Assert.Contains("deadlinecommand -SubmitMultipleJobs -dependent -job render_job_info.job render_plugin_info.job -job assemble_job_info.job assemble_plugin_info.job", submit.StdOut, StringComparison.Ordinal);

        Dictionary<string, string> render = Info(Path.Combine(folder, "render_job_info.job")), assemble = Info(Path.Combine(folder, "assemble_job_info.job"));
        foreach (string key in render.Keys.Concat(assemble.Keys))
        {
            Assert.True(JobInfoKeys.Contains(key), $"{key} is not a documented Deadline job info key");
        }

        Assert.Equal("Dflc", render["Plugin"]);
        Assert.Equal("0-77", render["Frames"]);
        Assert.Equal("5", render["ChunkSize"]);
        Assert.Equal("3", render["MachineLimit"]);
        Assert.Equal("gpu", render["Pool"]);
        Assert.Equal(Path.Combine(dir, "frames"), render["OutputDirectory0"]);
        Assert.Equal("######.png", render["OutputFilename0"]);
        Assert.Equal(("Dflc", "0", dir, "out.mp4"), (assemble["Plugin"], assemble["Frames"], assemble["OutputDirectory0"], assemble["OutputFilename0"]));
        Dictionary<string, string> renderPlugin = Info(Path.Combine(folder, "render_plugin_info.job")), assemblePlugin = Info(Path.Combine(folder, "assemble_plugin_info.job"));
        Assert.Equal(("render", job), (renderPlugin["Mode"], renderPlugin["JobFile"]));
        Assert.Equal(("assemble", Path.Combine(dir, "out.mp4")), (assemblePlugin["Mode"], assemblePlugin["Output"]));
        Assert.Equal($"DflcExecutable={TestPaths.Dflc}", File.ReadAllLines(Path.Combine(folder, "Dflc", "Dflc.dlinit"))[0]);
        Assert.Matches(@"(?m)^\[DflcExecutable\]\r?\nType=multilinemultifilename$", File.ReadAllText(Path.Combine(folder, "Dflc", "Dflc.param")));

        // real dflc output: a chunk that renders (PROGRESS lines) and one that fails (a "dflc: ..." line on stderr)
        var ok = ProcessRunner.Dflc("render", "--job", job, "--frames", "10-14");
        Assert.True(ok.ExitCode == 0, ok.All);
        string bad = Path.Combine(dir, "bad.json");
        File.WriteAllText(bad, """{"kind": "merge", "workspace": "nowhere", "input": "missing.mp4", "output": "frames"}""");
        var failed = ProcessRunner.Dflc("render", "--job", bad, "--frames", "0-4");
        Assert.Equal(3, failed.ExitCode);
        string lines = Path.Combine(dir, "stdout.txt");
        File.WriteAllText(lines, ok.StdOut + "dflc: warning: advice only\n" + failed.StdErr);

        string standIn = Path.Combine(dir, "standin");
        Directory.CreateDirectory(Path.Combine(standIn, "Deadline"));
        File.WriteAllText(Path.Combine(standIn, "Deadline", "__init__.py"), "");
        File.WriteAllText(Path.Combine(standIn, "Deadline", "Plugins.py"), StandIn);
        File.WriteAllText(Path.Combine(standIn, "Deadline", "Scripting.py"), Scripting);
        File.WriteAllText(Path.Combine(dir, "driver.py"), Driver);
        string info = JsonSerializer.Serialize(renderPlugin);
        var py = ProcessRunner.Run("python3", [Path.Combine(dir, "driver.py"), standIn, Path.Combine(folder, "Dflc"), TestPaths.Dflc, info, lines]);
        output.WriteLine(py.All.Trim());
        Assert.True(py.ExitCode == 0, py.All);
        using JsonDocument result = JsonDocument.Parse(py.StdOut);
        JsonElement r = result.RootElement;
        Assert.Equal("Simple", r.GetProperty("type").GetString());
        Assert.Equal(TestPaths.Dflc, r.GetProperty("executable").GetString());
        Assert.Equal($"--threads 1 render --job {job} --frames 10-14", r.GetProperty("arguments").GetString());
        double[] expected = Progress().Matches(ok.StdOut).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        double[] got = r.GetProperty("progress").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        output.WriteLine($"progress: {string.Join(", ", got)}");
        Assert.True(expected.Length >= 2, ok.StdOut);
        Assert.Equal(expected, got);
        Assert.Equal(100.0, got[^1]);
        string[] failures = r.GetProperty("failures").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.NotEmpty(failures);
        Assert.Contains("missing.mp4", failures[0], StringComparison.Ordinal);
        Assert.DoesNotContain(failures, f => f.Contains("advice only", StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Info(string file) =>
        File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    [GeneratedRegex(@"(?m)^PROGRESS ([0-9.]+)%")]
    private static partial Regex Progress();
}
