using System.Globalization;
using System.Text;
using DFLComposite.Farm;

namespace DFLComposite.Plugins.Farm;

/// <summary>
/// Open Job Description (AWS Deadline Cloud, <c>openjd run</c>): writes a job bundle folder with <c>template.yaml</c> —
/// <c>specificationVersion: jobtemplate-2023-09</c>, <c>extensions: [TASK_CHUNKING]</c>, a Render step whose task
/// parameter is a <c>CHUNK[INT]</c> frame range with <c>rangeConstraint: CONTIGUOUS</c> (each task gets "A-B", which
/// <c>dflc render --frames</c> takes as is), and an Assemble step that depends on it. Tasks print
/// <c>openjd_progress</c>/<c>openjd_fail</c> lines (<c>--progress-format openjd</c>); a cancel is SIGTERM first, so a
/// chunk keeps its finished frames. Nothing is submitted from here: <c>deadline bundle submit</c> takes the folder.
/// </summary>
[PluginExport(typeof(IFarmScheduler), "openjd", "1.0", "Open Job Description: writes a job bundle (jobtemplate-2023-09, TASK_CHUNKING render step + dependent assemble step)")]
public sealed class OpenJdScheduler : IFarmScheduler
{
    public bool CanSubmit => false;

    public void Initialize(PluginContext context)
    {
    }

    public FarmSubmission Prepare(FarmRequest request)
    {
        Shell.WriteAtomic(Path.Combine(request.Folder, "template.yaml"), Template(request));
        return new FarmSubmission("openjd", request, ["template.yaml"],
            $"deadline bundle submit {Shell.Quote(request.Folder)}   (or: openjd run {Shell.Quote(Path.Combine(request.Folder, "template.yaml"))} --step Render)");
    }

    public FarmSubmission Submit(FarmSubmission prepared) =>
        throw new FarmException("Open Job Description submissions are files: submit the bundle with `deadline bundle submit` or run it with `openjd run`");

    public FarmStatus Status(FarmSubmission submitted) =>
        throw new FarmException("dflc does not follow Open Job Description jobs; ask the farm (deadline job get)");

    public void Cancel(FarmSubmission submitted) =>
        throw new FarmException("dflc does not cancel Open Job Description jobs; ask the farm (deadline job cancel)");

    internal static string Template(FarmRequest r)
    {
        var c = CultureInfo.InvariantCulture;
        var y = new StringBuilder();
        y.AppendLine("# Open Job Description job template written by `dflc farm submit --scheduler openjd`.");
        y.AppendLine("specificationVersion: jobtemplate-2023-09");
        y.AppendLine("extensions:");
        y.AppendLine("- TASK_CHUNKING");
        y.AppendLine(c, $"name: {Q("dflc render " + r.Name)}");
        y.AppendLine(c, $"description: {Q($"Frames {r.First}-{r.Last} of {r.JobFile} in chunks of {r.Chunk}" + (r.Assemble is null ? "" : $", then joined into {r.Assemble}"))}");
        y.AppendLine("parameterDefinitions:");
        Parameter(y, "JobFile", "PATH", r.JobFile, "The merge or mask job file (paths in it are relative to it).", objectType: "FILE", dataFlow: "IN");
        Parameter(y, "Dflc", "PATH", r.Dflc, "dflc as the workers find it.", objectType: "FILE");
        Parameter(y, "Frames", "STRING", $"{r.First}-{r.Last}", "Frames to render, A-B (input frame numbers from 0, inclusive).");
        Parameter(y, "ChunkSize", "INT", r.Chunk.ToString(c), "Frames per task.", minValue: 1);
        if (r.Assemble is not null)
        {
            Parameter(y, "Assembled", "PATH", r.Assemble, "The video the Assemble step writes.", objectType: "FILE", dataFlow: "OUT");
        }

        y.AppendLine("steps:");
        y.AppendLine("- name: Render");
        y.AppendLine("  parameterSpace:");
        y.AppendLine("    taskParameterDefinitions:");
        y.AppendLine("    - name: Frame");
        y.AppendLine("      type: CHUNK[INT]");
        y.AppendLine("      range: '{{Param.Frames}}'");
        y.AppendLine("      chunks:");
        y.AppendLine("        defaultTaskCount: '{{Param.ChunkSize}}'");
        // CONTIGUOUS: every chunk is one range "A-B", the only form `dflc render --frames` takes
        y.AppendLine("        rangeConstraint: CONTIGUOUS");
        Action(y, [.. r.DflcArguments, "--progress-format", "openjd", "--threads", "1", "render", "--job", "{{Param.JobFile}}", "--frames", "{{Task.Param.Frame}}"]);
        if (r.Assemble is not null)
        {
            y.AppendLine("- name: Assemble");
            y.AppendLine("  dependencies:");
            y.AppendLine("  - dependsOn: Render");
            Action(y, [.. r.DflcArguments, "--progress-format", "openjd", "assemble", "--job", "{{Param.JobFile}}", "-o", "{{Param.Assembled}}", .. r.AssembleArguments]);
        }

        return y.ToString();
    }

    private static void Parameter(StringBuilder y, string name, string type, string value, string description, string? objectType = null, string? dataFlow = null, int? minValue = null)
    {
        y.AppendLine(CultureInfo.InvariantCulture, $"- name: {name}");
        y.AppendLine(CultureInfo.InvariantCulture, $"  type: {type}");
        if (objectType is not null)
        {
            y.AppendLine(CultureInfo.InvariantCulture, $"  objectType: {objectType}");
        }

        if (dataFlow is not null)
        {
            y.AppendLine(CultureInfo.InvariantCulture, $"  dataFlow: {dataFlow}");
        }

        if (minValue is { } min)
        {
            y.AppendLine(CultureInfo.InvariantCulture, $"  minValue: {min}");
        }

        y.AppendLine(CultureInfo.InvariantCulture, $"  default: {(type == "INT" ? value : Q(value))}");
        y.AppendLine(CultureInfo.InvariantCulture, $"  description: {Q(description)}");
    }

    // One onRun action; a cancel sends SIGTERM and waits, so dflc stops after the frame it is writing and exits 130.
    private static void Action(StringBuilder y, IEnumerable<string> args)
    {
        y.AppendLine("  script:");
        y.AppendLine("    actions:");
        y.AppendLine("      onRun:");
        y.AppendLine("        command: '{{Param.Dflc}}'");
        y.AppendLine("        args:");
        foreach (string a in args)
        {
            y.AppendLine(CultureInfo.InvariantCulture, $"        - {Q(a)}");
        }

        y.AppendLine("        cancelation:");
        y.AppendLine("          mode: NOTIFY_THEN_TERMINATE");
        y.AppendLine("          notifyPeriodInSeconds: 60");
    }

    // A single-quoted YAML scalar (only the quote itself needs escaping, by doubling).
    private static string Q(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
}
