using DFLComposite.Engine.Jobs;
using DFLComposite.Engine.Settings;
using DFLComposite.Tests;

namespace DFLComposite.Node.Tests;

/// <summary>Every declared field of a job kind is a flag of its command (the declaration is the only place a field is added).</summary>
public sealed class JobFlagTests
{
    public static TheoryData<string, string> Commands => new()
    {
        { "extract", "extract" }, { "train", "train" }, { "xseg train", "xseg-train" }, { "xseg apply", "xseg-apply" }, { "merge", "merge" },
        { "mask", "mask" }, { "swap", "swap" }, { "evaluate", "evaluate" }, { "render", "render" }, { "assemble", "assemble" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_field_of_the_job_kind_is_a_flag_with_its_help(string command, string kind)
    {
        var r = ProcessRunner.Dflc([.. command.Split(' '), "--help"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--print-job", r.StdOut, StringComparison.Ordinal);
        foreach (SettingField f in SettingsSchema.For(JobKinds.TypeOf(kind)!).Where(f => !f.Declaration.JsonOnly))
        {
            Assert.Matches($@"(^|[\s,]){System.Text.RegularExpressions.Regex.Escape(f.Flag)}[\s,]", r.StdOut);
            Assert.Contains(f.Declaration.Help[..Math.Min(30, f.Declaration.Help.Length)], r.StdOut, StringComparison.Ordinal);
        }
    }
}
