using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DFLComposite.Tests.Interop;

/// <summary>
/// The repository's C# projects compiled with Roslyn (no build, no source generators), for checks that read
/// the code's meaning rather than its text: which member a call binds to, which conversion an argument takes.
/// </summary>
internal static partial class SourceScanner
{
    private static readonly string[] SourceRoots = ["src", "plugins", "host-adapters", "tests"];
    private static readonly Dictionary<string, CSharpCompilation> Cache = [];
    private static readonly Lock CacheLock = new();

    /// <summary>The syntax trees, with their semantic models, of every project with a file that mentions <paramref name="marker"/>.</summary>
    public static IEnumerable<SemanticModel> FilesMentioning(string marker)
    {
        foreach (string project in Projects())
        {
            if (!SourceFiles(Path.GetDirectoryName(project)!).Any(f => File.ReadAllText(f).Contains(marker, StringComparison.Ordinal)))
            {
                continue;
            }

            CSharpCompilation compilation = Compiled(project);
            foreach (SyntaxTree tree in compilation.SyntaxTrees.Where(t => t.FilePath.Length > 0 && t.GetText().ToString().Contains(marker, StringComparison.Ordinal)))
            {
                yield return compilation.GetSemanticModel(tree);
            }
        }
    }

    /// <summary>One C# file compiled on its own against everything the test process can load.</summary>
    public static SemanticModel Sample(string source)
    {
        CSharpCompilation compilation = CSharpCompilation.Create("sample", [CSharpSyntaxTree.ParseText(source, path: "Sample.cs")], References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        return compilation.GetSemanticModel(compilation.SyntaxTrees[0]);
    }

    /// <summary>"path:line: expression" for a finding.</summary>
    public static string Where(SemanticModel model, SyntaxNode node)
    {
        string file = model.SyntaxTree.FilePath == "Sample.cs" ? "Sample.cs" : Path.GetRelativePath(TestPaths.RepoRoot, model.SyntaxTree.FilePath);
        return $"{file}:{node.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {node}";
    }

    private static IEnumerable<string> Projects() =>
        Directory.EnumerateFiles(TestPaths.RepoRoot, "*.csproj", SearchOption.AllDirectories)
            .Where(p => SourceRoots.Any(r => Path.GetRelativePath(TestPaths.RepoRoot, p).StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);

    private static CSharpCompilation Compiled(string project)
    {
        lock (CacheLock)
        {
            if (!Cache.TryGetValue(project, out CSharpCompilation? compilation))
            {
                compilation = Compile(project);
                // CS8795: a [GeneratedRegex] partial without its generated half (source generators do not run here).
                var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795").Take(5).ToList();
                Assert.True(errors.Count == 0, $"{project} does not compile for the check:\n{string.Join('\n', errors)}");
                Cache[project] = compilation;
            }

            return compilation;
        }
    }

    private static CSharpCompilation Compile(string project)
    {
        string projectDirectory = Path.GetDirectoryName(project)!;
        var files = SourceFiles(projectDirectory).ToList();
        string globalUsings = GlobalUsings;
        if (Path.GetRelativePath(TestPaths.RepoRoot, project).StartsWith("tests", StringComparison.Ordinal))
        {
            // what tests/Directory.Build.props and the test project add: shared helpers, linked plugin files, xunit
            files.AddRange(Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "tests", "Shared"), "*.cs"));
            files.AddRange(LinkedFiles().Matches(File.ReadAllText(project)).Select(m => Path.Combine(TestPaths.RepoRoot, m.Groups[1].Value)));
            globalUsings += "\nglobal using Xunit;";
        }

        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = files
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, f))
            .Append(CSharpSyntaxTree.ParseText(globalUsings, options));
        string assembly = Path.GetFileName(projectDirectory);
        return CSharpCompilation.Create(assembly, trees, References(except: assembly),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static IEnumerable<string> SourceFiles(string projectDirectory) =>
        Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static IEnumerable<MetadataReference> References(string? except = null)
    {
        // Everything the test process can load: the framework, TorchSharp, OpenCvSharp and the engine's own assemblies
        // (less the project being compiled, whose types would otherwise be there twice).
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return tpa.Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.Ordinal) && Path.GetFileNameWithoutExtension(p) != except)
            .Select(p => MetadataReference.CreateFromFile(p));
    }

    [GeneratedRegex(@"<Compile Include=""\$\(DflcRoot\)([^""]+)""")]
    private static partial Regex LinkedFiles();

    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;
}
