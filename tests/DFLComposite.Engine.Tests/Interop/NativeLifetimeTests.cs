using DFLComposite.Engine.Torch;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static TorchSharp.torch;

namespace DFLComposite.Tests.Interop;

/// <summary>
/// Native objects must outlive the native calls that read them. A temporary whose wrapper is freed by its
/// finalizer while libtorch or OpenCV is still reading it makes the process assert or segfault once in thousands
/// of calls — too rare to catch by running the product, so the rules are checked in the sources (all projects,
/// tests included):
/// <list type="bullet">
/// <item>torch: no implicit conversion to Scalar, no <c>ToScalar()</c> outside a <c>using</c> declaration, no call of
/// a TorchSharp member that makes its own temporary Scalar (TorchSharpTemporaryScalars.txt); see <see cref="Scalars"/>.</item>
/// <item>OpenCV: no <c>MatExpr</c> (<c>a.Mul(b)</c>, <c>a * 2</c>, <c>Mat.Zeros</c>) passed where an <c>InputArray</c> is
/// read. OpenCvSharp 4.13's InputArray keeps only a native pointer to the expression, so the expression's finalizer
/// can free it mid-call; this crashed the test host in <c>cv::mean</c>. Materialise it: <c>using Mat m = a.Mul(b);</c>.</item>
/// </list>
/// </summary>
public sealed class NativeLifetimeTests
{
    private static readonly HashSet<string> TemporaryScalarMakers =
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Interop", "TorchSharpTemporaryScalars.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void No_source_hands_torch_a_scalar_it_does_not_hold() =>
        // Scalars.cs is where constants are made (and kept): ToScalar() is its job there
        AssertNoFindings("TorchSharp", "unheld torch Scalars (use Scalars.S/One/Plus/... or `using Scalar`)", model =>
            TorchFindings(model, allowToScalar: model.SyntaxTree.FilePath.EndsWith(Path.Combine("Torch", "Scalars.cs"), StringComparison.Ordinal)));

    [Fact]
    public void No_source_passes_an_OpenCV_expression_where_an_array_is_read() =>
        AssertNoFindings("OpenCvSharp", "MatExpr passed as InputArray (make it a `using Mat` first)", OpenCvFindings);

    [Fact]
    public void The_checkers_see_each_kind_of_unheld_temporary()
    {
        SemanticModel model = SourceScanner.Sample("""
            using TorchSharp;
            using OpenCvSharp;
            using static TorchSharp.torch;
            static class Sample
            {
                static Tensor A(Tensor t, Tensor u) => t + u;
                static Tensor B(Tensor t) => t * 0.5;
                static Tensor C(Tensor t) => t.mul(2.0.ToScalar());
                static Tensor D(Tensor t) { using TorchSharp.Scalar s = 2.0.ToScalar(); return t.mul(s); }
                static Tensor E(Tensor t) => t.square();
                static Tensor F(Tensor t) => nn.LeakyReLU(0.2).call(t);
                static double G(Mat a, Mat mask) => Cv2.Mean(a.Mul(a), mask).Val0;
                static double H(Mat a, Mat mask) { using Mat sq = a.Mul(a); return Cv2.Mean(sq, mask).Val0; }
            }
            """);
        var torch = TorchFindings(model, allowToScalar: false).ToList();
        Assert.Contains(torch, f => f.Contains("t + u", StringComparison.Ordinal));
        Assert.Contains(torch, f => f.Contains("0.5", StringComparison.Ordinal));
        Assert.Contains(torch, f => f.Contains("2.0.ToScalar()", StringComparison.Ordinal) && f.StartsWith("Sample.cs:8:", StringComparison.Ordinal));
        Assert.Contains(torch, f => f.Contains("t.square()", StringComparison.Ordinal));
        Assert.Contains(torch, f => f.Contains("LeakyReLU.forward", StringComparison.Ordinal));
        Assert.DoesNotContain(torch, f => f.StartsWith("Sample.cs:9:", StringComparison.Ordinal));
        var openCv = OpenCvFindings(model).ToList();
        Assert.Single(openCv);
        Assert.StartsWith("Sample.cs:12:", openCv[0], StringComparison.Ordinal);
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

    // Runs a checker over every file that uses the library; fails with the findings, or if too few files were seen.
    private static void AssertNoFindings(string library, string what, Func<SemanticModel, IEnumerable<string>> check)
    {
        var findings = new List<string>();
        int files = 0;
        foreach (SemanticModel model in SourceScanner.FilesMentioning(library))
        {
            files++;
            findings.AddRange(check(model));
        }

        Assert.True(files >= 20, $"only {files} files use {library}: the check is not looking at the sources");
        Assert.True(findings.Count == 0, $"{findings.Count} {what}:\n{string.Join('\n', findings)}");
    }

    private static IEnumerable<string> TorchFindings(SemanticModel model, bool allowToScalar)
    {
        foreach (ExpressionSyntax expression in model.SyntaxTree.GetRoot().DescendantNodes().OfType<ExpressionSyntax>())
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
                else if (target.OriginalDefinition.GetDocumentationCommentId() is { } id && TemporaryScalarMakers.Contains(id))
                {
                    problem = $"{target.ToDisplayString()} makes a temporary Scalar";
                }
                else if (target.ReturnType is INamedTypeSymbol { ContainingNamespace: var ns } module && ns.ToDisplayString() == "TorchSharp.Modules"
                         && TemporaryScalarMakers.Contains($"M:{module.ToDisplayString()}.forward(TorchSharp.torch.Tensor)"))
                {
                    // a module is called through Module.call, so its forward is never named in our sources
                    problem = $"{module.Name}.forward makes a temporary Scalar";
                }
            }

            if (problem is not null)
            {
                yield return $"{SourceScanner.Where(model, expression)} — {problem}";
            }
        }
    }

    private static IEnumerable<string> OpenCvFindings(SemanticModel model)
    {
        foreach (ExpressionSyntax expression in model.SyntaxTree.GetRoot().DescendantNodes().OfType<ExpressionSyntax>())
        {
            Conversion conversion = model.GetConversion(expression);
            if (conversion.IsUserDefined && conversion.MethodSymbol is { } op
                && op.ContainingType.ToDisplayString() is "OpenCvSharp.InputArray" or "OpenCvSharp.InputOutputArray"
                && op.Parameters is [{ Type: var from }] && from.ToDisplayString() == "OpenCvSharp.MatExpr")
            {
                yield return $"{SourceScanner.Where(model, expression)} — a MatExpr read through an InputArray that does not hold it";
            }
        }
    }

    private static bool IsUsingDeclaration(ExpressionSyntax expression) =>
        expression.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } }
        && declaration.Parent is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: > 0 } or UsingStatementSyntax;
}
