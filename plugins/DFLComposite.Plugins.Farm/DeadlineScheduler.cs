using System.Globalization;
using System.Text;
using DFLComposite.Farm;

namespace DFLComposite.Plugins.Farm;

/// <summary>
/// Deadline 10: writes the Dflc application plugin (<c>Dflc/Dflc.py</c>, <c>Dflc.param</c>, <c>Dflc.dlinit</c>) and the
/// job-info/plugin-info pairs that <c>deadlinecommand -SubmitMultipleJobs -dependent</c> submits: the render job
/// (<c>Frames</c>, <c>ChunkSize</c> = one task per chunk, <c>MachineLimit</c> = at most K at once,
/// <c>OutputDirectory0</c>/<c>OutputFilename0</c> = the image sequence) and the assemble job, which depends on it.
/// Deadline is not installable here, so nothing is submitted: the files are checked against Deadline's documented
/// keys and the plugin against a stand-in of its Python module surface.
/// </summary>
[PluginExport(typeof(IFarmScheduler), "deadline", "1.0", "Deadline 10: writes the Dflc plugin and job/plugin info files for deadlinecommand -SubmitMultipleJobs (render job + dependent assemble job)")]
public sealed class DeadlineScheduler : IFarmScheduler
{
    public bool CanSubmit => false;

    public void Initialize(PluginContext context)
    {
    }

    public FarmSubmission Prepare(FarmRequest request)
    {
        FarmRequest r = request;
        string plugin = Path.Combine(r.Folder, "Dflc");
        Directory.CreateDirectory(plugin);
        Shell.WriteAtomic(Path.Combine(plugin, "Dflc.py"), DeadlinePluginFiles.Python);
        Shell.WriteAtomic(Path.Combine(plugin, "Dflc.param"), DeadlinePluginFiles.Param);
        Shell.WriteAtomic(Path.Combine(plugin, "Dflc.dlinit"), Dlinit(r));
        var files = new List<string> { "Dflc/Dflc.py", "Dflc/Dflc.param", "Dflc/Dflc.dlinit", "render_job_info.job", "render_plugin_info.job" };
        Shell.WriteAtomic(Path.Combine(r.Folder, "render_job_info.job"), Info(RenderJobInfo(r)));
        Shell.WriteAtomic(Path.Combine(r.Folder, "render_plugin_info.job"), Info(PluginInfo(r, "render")));
        var submit = new StringBuilder("deadlinecommand -SubmitMultipleJobs -dependent -job render_job_info.job render_plugin_info.job");
        if (r.Assemble is not null)
        {
            Shell.WriteAtomic(Path.Combine(r.Folder, "assemble_job_info.job"), Info(AssembleJobInfo(r)));
            Shell.WriteAtomic(Path.Combine(r.Folder, "assemble_plugin_info.job"), Info(PluginInfo(r, "assemble")));
            files.AddRange(["assemble_job_info.job", "assemble_plugin_info.job"]);
            submit.Append(" -job assemble_job_info.job assemble_plugin_info.job");
        }

        // -dependent makes each job wait for the one before it: the assemble job starts after every chunk succeeded
        string script = $"#!/bin/sh\n# Install Dflc/ into <repository>/custom/plugins/ once, then run this to submit.\nset -e\ncd {Shell.Quote(r.Folder)}\n{submit}\n";
        Shell.WriteAtomic(Path.Combine(r.Folder, "submit.sh"), script, executable: true);
        files.Add("submit.sh");
        return new FarmSubmission("deadline", r, files, $"cd {Shell.Quote(r.Folder)} && {submit}");
    }

    public FarmSubmission Submit(FarmSubmission prepared) =>
        throw new FarmException("Deadline submissions are files: install Dflc/ into the repository's custom/plugins and run submit.sh with deadlinecommand");

    public FarmStatus Status(FarmSubmission submitted) =>
        throw new FarmException("dflc does not follow Deadline jobs; use Deadline Monitor or deadlinecommand -GetJob");

    public void Cancel(FarmSubmission submitted) =>
        throw new FarmException("dflc does not cancel Deadline jobs; use Deadline Monitor or deadlinecommand -SuspendJob/-DeleteJob");

    /// <summary>Job info: Deadline's documented keys only (Plugin, Name, Frames, ChunkSize, MachineLimit, Pool, OutputDirectory0 ...).</summary>
    internal static List<(string Key, string Value)> RenderJobInfo(FarmRequest r)
    {
        var info = new List<(string, string)>
        {
            ("Plugin", "Dflc"),
            ("Name", $"dflc render {r.Name}"),
            ("Comment", $"frames {r.First}-{r.Last} of {r.JobFile}"),
            ("Frames", $"{r.First}-{r.Last}"),
            ("ChunkSize", r.Chunk.ToString(CultureInfo.InvariantCulture)),
            ("OutputDirectory0", OutputFolder(r)),
            ("OutputFilename0", "######.png"),
        };
        Common(info, r);
        if (r.MaxParallel is { } k)
        {
            info.Add(("MachineLimit", k.ToString(CultureInfo.InvariantCulture)));
        }

        return info;
    }

    internal static List<(string Key, string Value)> AssembleJobInfo(FarmRequest r)
    {
        var info = new List<(string, string)>
        {
            ("Plugin", "Dflc"),
            ("Name", $"dflc assemble {r.Name}"),
            ("Comment", $"joins frames of {r.JobFile} into {r.Assemble}"),
            ("Frames", "0"),
            ("ChunkSize", "1"),
            ("OutputDirectory0", Path.GetDirectoryName(r.Assemble!)!),
            ("OutputFilename0", Path.GetFileName(r.Assemble!)),
        };
        Common(info, r);
        return info;
    }

    internal static List<(string Key, string Value)> PluginInfo(FarmRequest r, string mode)
    {
        var info = new List<(string, string)> { ("Mode", mode), ("JobFile", r.JobFile), ("Threads", "1") };
        if (r.DflcArguments.Count > 0)
        {
            info.Add(("DflcArguments", string.Join(";", r.DflcArguments)));
        }

        if (mode == "assemble")
        {
            info.Add(("Output", r.Assemble!));
            if (r.AssembleArguments.Count > 0)
            {
                info.Add(("AssembleArguments", string.Join(";", r.AssembleArguments)));
            }
        }

        return info;
    }

    private static void Common(List<(string, string)> info, FarmRequest r)
    {
        if (r.Partition is { } pool)
        {
            info.Add(("Pool", pool));
        }

    }

    // Where the job's image sequence goes: the merge/mask job's output folder, read from the job file.
    private static string OutputFolder(FarmRequest r)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(r.JobFile));
        string output = doc.RootElement.GetProperty("output").GetString() ?? "";
        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(r.JobFile)!, output));
    }

    private static string Dlinit(FarmRequest r) =>
        $"DflcExecutable={r.Dflc}\nConcurrentTasks=1\n";

    private static string Info(IEnumerable<(string Key, string Value)> pairs) =>
        string.Concat(pairs.Select(p => $"{p.Key}={p.Value}\n"));
}
