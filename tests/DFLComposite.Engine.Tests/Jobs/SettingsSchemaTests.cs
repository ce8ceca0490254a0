using DFLComposite.Engine.Jobs;
using DFLComposite.Engine.Settings;
using DFLComposite.Faces;
using DFLComposite.Tests;

namespace DFLComposite.Engine.Tests.Jobs;

/// <summary>The one declaration behind flags, JSON and forms: every field of every job kind has it, completely.</summary>
public sealed class SettingsSchemaTests
{
    public static TheoryData<string> Kinds => [.. JobKinds.Names];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_field_has_help_a_flag_a_json_name_and_its_allowed_values(string kind)
    {
        Type type = JobKinds.TypeOf(kind)!;
        var undeclared = SettingsSchema.Undeclared(type).Concat(SettingsSchema.Groups(type).SelectMany(g => SettingsSchema.Undeclared(g.Property.PropertyType))).ToArray();
        Assert.True(undeclared.Length == 0, "fields without a [Setting]: " + string.Join(", ", undeclared));
        IReadOnlyList<SettingField> fields = SettingsSchema.For(type);
        Assert.NotEmpty(fields);
        foreach (SettingField f in fields)
        {
            SettingAttribute d = f.Declaration;
            Assert.False(string.IsNullOrWhiteSpace(d.Help), $"{kind} {f.JsonPath}: no help");
            Assert.Matches("^--[a-z0-9][a-z0-9-]*$", f.Flag);
            Assert.Matches("^[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)?$", f.JsonPath);
            if (f.IsNumber)
            {
                Assert.True(d.HasRange && d.Min <= d.Max, $"{kind} {f.JsonPath}: a number needs a range");
                Assert.True(SettingsValidator.Check(f, double.NaN) is not null, $"{kind} {f.JsonPath}: NaN must be refused");
                if (f.Default is { } def && !(f.ValueType == typeof(int) && d.Min > 0 && (int)def == 0))
                {
                    Assert.True(SettingsValidator.Check(f, def) is null, $"{kind} {f.JsonPath}: default {def} is outside its own range");
                }
            }
            else if (f.ValueType == typeof(string) || f.ValueType == typeof(FaceType))
            {
                Assert.True(d.Choices is not null || d.Plugin is not null || d.Format is not null || d.Path != PathRole.None, $"{kind} {f.JsonPath}: text needs choices, a plugin family, a format or a path role");
            }
            else if (f.IsList)
            {
                Assert.True(d.Path != PathRole.None || d.Format is not null, $"{kind} {f.JsonPath}: a list needs a path role or a format");
            }
            else
            {
                Assert.Equal(typeof(bool), f.ValueType);
            }
        }

        // flags are unique within a command, aliases included
        string[] flags = fields.Where(f => !f.Declaration.JsonOnly).SelectMany(f => f.Declaration.Aliases.Prepend(f.Flag)).ToArray();
        Assert.Equal(flags.Length, flags.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_field_is_known_by_its_json_name(string kind)
    {
        Type type = JobKinds.TypeOf(kind)!;
        foreach (SettingField f in SettingsSchema.For(type))
        {
            string value = f.ValueType == typeof(bool) ? "true" : f.IsNumber ? "1" : f.IsList ? "[\"x\"]" : "\"x\"";
            string field = f.Group is null ? $"\"{f.Name}\": {value}" : $"\"{f.JsonPath.Split('.')[0]}\": {{\"{f.Name}\": {value}}}";
            string json = $"{{\"kind\": \"{kind}\", {field}}}";
            var ex = Assert.ThrowsAny<JobValidationException>(() => JobJson.Parse(json, "/tmp"));
            Assert.DoesNotContain(ex.Errors, e => e.Path == f.JsonPath && e.Message.StartsWith("unknown field", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_printed_job_reads_back_as_the_same_job()
    {
        var job = new MergeJob { Workspace = "/w", Input = "/i.mp4", Output = "/o", Frames = "3-9", Settings = new Engine.Merge.MergeSettings { ErodeMask = -12, Color = "none" } };
        JobSpec back = JobJson.Parse(JobJson.Serialize(job), "/");
        Assert.Equal(JobJson.Serialize(job), JobJson.Serialize(back));
        var mask = new MaskJob { Workspace = "/x", Input = "/i.mp4", Output = "/m.mov" };
        Assert.DoesNotContain("codec", JobJson.Serialize(mask), StringComparison.Ordinal); // fields a kind excludes are not written
        Assert.Equal(JobJson.Serialize(mask), JobJson.Serialize(JobJson.Parse(JobJson.Serialize(mask), "/")));
    }

    [Fact]
    public void Relative_paths_in_a_job_are_relative_to_its_file()
    {
        var job = (MergeJob)JobJson.Parse("""{"kind": "merge", "workspace": "model", "input": "../clips/a.mp4", "output": "out", "reference": ["me.jpg"]}""", "/farm/shot1");
        Assert.Equal(("/farm/shot1/model", "/farm/clips/a.mp4", "/farm/shot1/out", "/farm/shot1/me.jpg"), (job.Workspace, job.Input, job.Output, job.Reference![0]));
    }

    [Fact]
    public void The_node_builds_no_face_finder_reference_filter_or_merger_itself()
    {
        string node = Path.Combine(TestPaths.RepoRoot, "host-adapters", "DFLComposite.Node");
        string[] forbidden = ["new FaceFinder(", "FaceFinder(", "ReferenceFilter.FromPhotos", "FaceFinders.", "MergeFinder", "new FaceComposer(", "new MatteComposer(", "new Merger(", "new Extractor(", "new Trainer(", "new XSegTrainer("];
        var found = Directory.GetFiles(node, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (f, i, line)))
            .Where(x => forbidden.Any(w => x.line.Contains(w, StringComparison.Ordinal)))
            .Select(x => $"{Path.GetRelativePath(node, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToArray();
        Assert.True(found.Length == 0, "face logic in the node (it belongs in the engine's job layer):\n" + string.Join("\n", found));
    }
}
