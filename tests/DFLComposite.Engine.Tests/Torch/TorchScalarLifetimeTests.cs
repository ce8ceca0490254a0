using System.Text.RegularExpressions;
using DFLComposite.Engine.Torch;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp;
using static TorchSharp.torch;

namespace DFLComposite.Tests.Torch;

/// <summary>
/// Every Scalar handed to libtorch must be held for the whole call (see <see cref="Scalars"/>): a finalized one is
/// read after it was freed, and the run dies in <c>Scalar.h</c> once in a few thousand training steps. The race is
/// too rare to catch by running the product, so the rule is checked in the sources: no implicit conversion to
/// Scalar, no <c>ToScalar()</c> that is not a <c>using</c> declaration, and no call of a TorchSharp member that makes
/// its own temporary Scalar (listed in TorchSharpTemporaryScalars.txt).
/// </summary>
public sealed partial class TorchScalarLifetimeTests
{
    private static readonly string[] SourceRoots = ["src", "plugins", "host-adapters", "tests"];

    [Fact]
    public void No_source_hands_torch_a_scalar_it_does_not_hold()
    {
        HashSet<string> temporaryMakers = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Torch", "TorchSharpTemporaryScalars.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal);
        var findings = new List<string>();
        int filesWithTorch = 0;
        foreach (string project in Directory.EnumerateFiles(TestPaths.RepoRoot, "*.csproj", SearchOption.AllDirectories)
                     .Where(p => SourceRoots.Any(r => Path.GetRelativePath(TestPaths.RepoRoot, p).StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal))))
        {
            string directory = Path.GetDirectoryName(project)!;
            if (!SourceFiles(directory).Any(f => File.ReadAllText(f).Contains("TorchSharp", StringComparison.Ordinal)))
            {
                continue;
            }

            CSharpCompilation compilation = Compile(project);
            // CS8795: a [GeneratedRegex] partial without its generated half (source generators do not run here).
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795").Take(5).ToList();
            Assert.True(errors.Count == 0, $"{project} does not compile for the check:\n{string.Join('\n', errors)}");
            foreach (SyntaxTree tree in compilation.SyntaxTrees.Where(t => t.FilePath.Length > 0))
            {
                string text = tree.GetText().ToString();
                if (!text.Contains("TorchSharp", StringComparison.Ordinal))
                {
                    continue;
                }

                filesWithTorch++;
                // Scalars.cs is where constants are made (and kept): ToScalar() is its job there
                bool makesConstants = tree.FilePath.EndsWith(Path.Combine("Torch", "Scalars.cs"), StringComparison.Ordinal);
                findings.AddRange(Check(compilation.GetSemanticModel(tree), temporaryMakers, allowToScalar: makesConstants));
            }
        }

        Assert.True(filesWithTorch >= 20, $"only {filesWithTorch} files use TorchSharp: the check is not looking at the sources");
        Assert.True(findings.Count == 0, $"{findings.Count} unheld torch Scalars (use Scalars.S/One/Plus/... or `using Scalar`):\n{string.Join('\n', findings)}");
    }

    [Fact]
    public void The_checker_sees_each_kind_of_unheld_scalar()
    {
        const string source = """
            using TorchSharp;
            using static TorchSharp.torch;
            static class Sample
            {
                static Tensor A(Tensor t, Tensor u) => t + u;
                static Tensor B(Tensor t) => t * 0.5;
                static Tensor C(Tensor t) => t.mul(2.0.ToScalar());
                static Tensor D(Tensor t) { using Scalar s = 2.0.ToScalar(); return t.mul(s); }
                static Tensor E(Tensor t) => t.square();
                static Tensor F(Tensor t) => nn.LeakyReLU(0.2).call(t);
            }
            """;
        CSharpCompilation compilation = CSharpCompilation.Create("sample", [CSharpSyntaxTree.ParseText(source, path: "Sample.cs")], References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        HashSet<string> makers = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Torch", "TorchSharpTemporaryScalars.txt")).ToHashSet();
        var findings = Check(compilation.GetSemanticModel(compilation.SyntaxTrees[0]), makers).ToList();
        Assert.Contains(findings, f => f.Contains("t + u", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("0.5", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("2.0.ToScalar()", StringComparison.Ordinal) && f.Contains(":7:", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("t.square()", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("LeakyReLU.forward", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Contains(":8:", StringComparison.Ordinal));
    }

    [Fact]
    public void Held_scalars_compute_what_the_temporaries_did()
    {
        using var scope = NewDisposeScope();
        Tensor a = tensor(new float[] { 1, -2, 3 });
        Tensor b = tensor(new float[] { 0.5f, 4, -1 });
        Assert.Equal(new float[] { 1.5f, 2, 2 }, a.Plus(b).data<float>().ToArray());
        Assert.Equal(new float[] { 1.25f, -1.75f, 3.25f }, a.Plus(0.25).data<float>().ToArray());
        Assert.Equal(new float[] { 0, 3, -2 }, a.SubtractedFrom(1).data<float>().ToArray());
        Assert.Equal(new float[] { 1, 4, 9 }, a.Squared().data<float>().ToArray());
        Assert.Equal(new float[] { 1, -0.2f, 3 }, a.LeakyRelu(0.1).data<float>().ToArray());
        Assert.Same(Scalars.S(0.5), Scalars.S(0.5));
        Assert.Equal(ScalarType.Int64, Scalars.SInt(3).Type);
    }

    private static IEnumerable<string> Check(SemanticModel model, HashSet<string> temporaryMakers, bool allowToScalar = false)
    {
        SyntaxNode root = model.SyntaxTree.GetRoot();
        string file = Path.GetRelativePath(TestPaths.RepoRoot, model.SyntaxTree.FilePath);
        foreach (ExpressionSyntax expression in root.DescendantNodes().OfType<ExpressionSyntax>())
        {
            string? problem = null;
            Conversion conversion = model.GetConversion(expression);
            if (conversion.IsUserDefined && conversion.MethodSymbol?.ContainingType.ToDisplayString() == "TorchSharp.Scalar")
            {
                problem = "converted to Scalar on the fly";
            }
            else if (expression is InvocationExpressionSyntax or BinaryExpressionSyntax or PrefixUnaryExpressionSyntax or AssignmentExpressionSyntax
                     && model.GetSymbolInfo(expression).Symbol is IMethodSymbol method)
            {
                IMethodSymbol target = method.ReducedFrom ?? method;
                if (target.Name == "ToScalar" && target.ContainingType.Name == "ScalarExtensionMethods" && !allowToScalar && !IsUsingDeclaration(expression))
                {
                    problem = "ToScalar() outside a using declaration";
                }
                else if (target.OriginalDefinition.GetDocumentationCommentId() is { } id && temporaryMakers.Contains(id))
                {
                    problem = $"{target.ToDisplayString()} makes a temporary Scalar";
                }
                else if (target.ReturnType is INamedTypeSymbol { ContainingNamespace: var ns } module && ns.ToDisplayString() == "TorchSharp.Modules"
                         && temporaryMakers.Contains($"M:{module.ToDisplayString()}.forward(TorchSharp.torch.Tensor)"))
                {
                    // a module is called through Module.call, so its forward is never named in our sources
                    problem = $"{module.Name}.forward makes a temporary Scalar";
                }
            }

            if (problem is not null)
            {
                int line = expression.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                yield return $"{file}:{line}: {expression} — {problem}";
            }
        }
    }

    private static bool IsUsingDeclaration(ExpressionSyntax expression) =>
        expression.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } }
        && declaration.Parent is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: > 0 } or UsingStatementSyntax;

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
        // Everything the test process can load: the framework, TorchSharp, OpenCvSharp and the engine's own assemblies.
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
