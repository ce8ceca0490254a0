using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DFLComposite.Tests;

/// <summary>Compiles C# source into a stand-alone plugin assembly, as a third party would build one.</summary>
internal static class PluginCompiler
{
    /// <param name="referenceNames">File names of host assemblies (besides the framework) the plugin builds against.</param>
    public static void Compile(string source, string outputPath, params string[] referenceNames)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = tpa.Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.", StringComparison.Ordinal) || f is "netstandard.dll" or "mscorlib.dll" || referenceNames.Contains(f)))
            .Select(p => MetadataReference.CreateFromFile(p));
        CSharpCompilation compilation = CSharpCompilation.Create(
            Path.GetFileNameWithoutExtension(outputPath),
            [CSharpSyntaxTree.ParseText(source)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using FileStream stream = File.Create(outputPath);
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
    }
}
