using System.Globalization;
using System.Text.RegularExpressions;
using DFLComposite.Tests;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace DFLComposite.Node.Tests;

/// <summary>
/// `dflc farm submit --scheduler openjd`: no Open Job Description runtime is installable here, so the template is parsed
/// (YamlDotNet) and held to the rules of the 2023-09 specification and its TASK_CHUNKING extension stated below; its
/// first task's command line is then run for real, and `--progress-format openjd` output is checked line by line.
/// </summary>
[Collection("job files")]
public sealed partial class OpenJdFarmTests(JobFileFixture data, ITestOutputHelper output)
{
    private static readonly string[] ParameterTypes = ["STRING", "INT", "FLOAT", "PATH"];

    [SkippableFact]
    public void The_template_follows_the_specification_and_its_render_task_prints_openjd_progress()
    {
        string d0 = TestPaths.Media("video/d0.mp4");
        string dir = data.Folder("openjd"), job = Path.Combine(dir, "merge.json"), folder = Path.Combine(dir, "bundle");
        File.WriteAllText(job, $$"""{"kind": "merge", "workspace": "{{data.Trained.A}}", "input": "{{d0}}", "output": "frames"}""");
        var submit = ProcessRunner.Dflc("farm", "submit", "--scheduler", "openjd", "--job", job, "--chunk", "5", "--assemble", Path.Combine(dir, "out.mp4"), "--folder", folder);
        Assert.True(submit.ExitCode == 0, submit.All);
        string text = File.ReadAllText(Path.Combine(folder, "template.yaml"));
        output.WriteLine(text);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;

        // top level: the 2023-09 version, the extension the CHUNK type needs, a name of 1..128 characters
        Assert.Equal("jobtemplate-2023-09", Scalar(root, "specificationVersion"));
        Assert.Contains("TASK_CHUNKING", Seq(root, "extensions").Select(n => ((YamlScalarNode)n).Value));
        Assert.InRange(Scalar(root, "name").Length, 1, 128);
        Assert.All(root.Children.Keys.Select(k => ((YamlScalarNode)k).Value!), k => Assert.Contains(k, new[] { "specificationVersion", "extensions", "name", "description", "parameterDefinitions", "steps", "jobEnvironments" }));

        // job parameters: identifiers, unique, of the four types; INT defaults are integers
        var parameters = new Dictionary<string, string>();
        foreach (YamlMappingNode p in Seq(root, "parameterDefinitions").Cast<YamlMappingNode>())
        {
            string name = Scalar(p, "name"), type = Scalar(p, "type");
            Assert.Matches("^[A-Za-z_][A-Za-z0-9_]{0,63}$", name);
            Assert.Contains(type, ParameterTypes);
            Assert.True(parameters.TryAdd(name, Scalar(p, "default")), $"parameter {name} twice");
            if (type == "INT")
            {
                Assert.True(int.TryParse(parameters[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
            }
        }

        // steps: unique names; dependencies name other, earlier steps; CHUNK[INT] frames with a contiguous range
        var steps = Seq(root, "steps").Cast<YamlMappingNode>().ToList();
        var names = steps.Select(s => Scalar(s, "name")).ToList();
        Assert.Equal(names.Distinct().Count(), names.Count);
        Assert.Equal(["Render", "Assemble"], names);
        YamlMappingNode render = steps[0], assemble = steps[1];
        var frame = (YamlMappingNode)Seq(Map(render, "parameterSpace"), "taskParameterDefinitions").Single();
        Assert.Equal(("Frame", "CHUNK[INT]"), (Scalar(frame, "name"), Scalar(frame, "type")));
        YamlMappingNode chunks = Map(frame, "chunks");
        Assert.Equal("CONTIGUOUS", Scalar(chunks, "rangeConstraint"));
        Assert.Equal("{{Param.ChunkSize}}", Scalar(chunks, "defaultTaskCount"));
        Assert.Equal("{{Param.Frames}}", Scalar(frame, "range"));
        Assert.False(render.Children.ContainsKey(new YamlScalarNode("dependencies")));
        Assert.Equal("Render", Scalar((YamlMappingNode)Seq(assemble, "dependencies").Single(), "dependsOn"));
        Assert.False(assemble.Children.ContainsKey(new YamlScalarNode("parameterSpace")), "assemble is one task");

        // every format-string reference names a job parameter, or a task parameter of its own step
        foreach (YamlMappingNode step in steps)
        {
            YamlMappingNode run = Map(Map(Map(step, "script"), "actions"), "onRun");
            Assert.Contains(Scalar(Map(run, "cancelation"), "mode"), new[] { "NOTIFY_THEN_TERMINATE", "TERMINATE" });
            string[] words = [Scalar(run, "command"), .. Seq(run, "args").Select(n => ((YamlScalarNode)n).Value!)];
            foreach (Match m in Reference().Matches(string.Join(' ', words)))
            {
                bool ok = m.Groups[1].Value == "Param" ? parameters.ContainsKey(m.Groups[2].Value) : step == render && m.Groups[2].Value == "Frame";
                Assert.True(ok, $"{m.Value} in step {Scalar(step, "name")} names nothing");
            }
        }

        Assert.Equal($"0-77", parameters["Frames"]);
        Assert.Equal("5", parameters["ChunkSize"]);

        // the first chunk as a runtime would run it: parameters substituted, the task's range "0-4"
        YamlMappingNode onRun = Map(Map(Map(render, "script"), "actions"), "onRun");
        string Substitute(string s) => Reference().Replace(s, m => m.Groups[1].Value == "Param" ? parameters[m.Groups[2].Value] : "0-4");
        string[] args = Seq(onRun, "args").Select(n => Substitute(((YamlScalarNode)n).Value!)).ToArray();
        var task = ProcessRunner.Run(Substitute(Scalar(onRun, "command")), args);
        output.WriteLine(task.StdOut);
        Assert.True(task.ExitCode == 0, task.All);
        // the task runs on one libtorch thread, where libtorch tried NNPACK per convolution and warned each time
        Assert.DoesNotContain("NNPACK", task.StdErr);
        Assert.Equal(5, Directory.GetFiles(Path.Combine(dir, "frames"), "*.png").Length);
        double last = -1;
        int progressLines = 0;
        foreach (string line in task.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Match p = ProgressLine().Match(line);
            if (p.Success)
            {
                double value = double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture);
                Assert.InRange(value, 0, 100);
                Assert.True(value > last, $"progress went from {last} to {value}");
                last = value;
                progressLines++;
            }
            else
            {
                // anything else a runtime reads must be a status line or the summary (never a PROGRESS bar line)
                Assert.True(line.StartsWith("openjd_status: ", StringComparison.Ordinal) || line.StartsWith("Rendered frames 0-4", StringComparison.Ordinal), $"unexpected line: {line}");
            }
        }

        Assert.Equal(100, last);
        Assert.True(progressLines >= 2);

        // a failing task says why in one openjd_fail line, with the documented exit code
        string bad = Path.Combine(dir, "bad.json");
        File.WriteAllText(bad, """{"kind": "merge", "workspace": "nowhere", "input": "missing.mp4", "output": "frames"}""");
        var failed = ProcessRunner.Dflc("--progress-format", "openjd", "render", "--job", bad, "--frames", "0-4");
        output.WriteLine(failed.StdOut);
        Assert.Equal(3, failed.ExitCode);
        string[] fails = failed.StdOut.Split('\n').Where(l => l.StartsWith("openjd_fail: ", StringComparison.Ordinal)).ToArray();
        Assert.Single(fails);
        Assert.Contains("missing.mp4", fails[0], StringComparison.Ordinal);
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value ?? "";

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static IEnumerable<YamlNode> Seq(YamlMappingNode node, string key) => ((YamlSequenceNode)node.Children[new YamlScalarNode(key)]).Children;

    [GeneratedRegex(@"\{\{\s*(Param|Task\.Param)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^openjd_progress: ([0-9]+(?:\.[0-9]+)?)$")]
    private static partial Regex ProgressLine();
}
