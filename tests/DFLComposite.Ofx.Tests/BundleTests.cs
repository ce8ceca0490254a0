using System.Xml.Linq;

namespace DFLComposite.Ofx.Tests;

/// <summary>installer/make-ofx-bundle.sh lays out the bundle hosts look for, and installs it.</summary>
public sealed class BundleTests
{
    [Fact]
    public void The_bundle_has_the_plist_icons_and_library_where_hosts_look()
    {
        OfxHarness h = OfxHarness.Shared;
        string dest = Directory.CreateTempSubdirectory("dflc-ofx-bundle-").FullName;
        string install = Directory.CreateTempSubdirectory("dflc-ofx-install-").FullName;
        string stdout = OfxHarness.Run("bash", [Path.Combine(h.RepoRoot, "installer", "make-ofx-bundle.sh"), dest, "--binary", h.Binary, "--install"],
            new Dictionary<string, string> { ["OFX_PLUGIN_PATH"] = install + ":/nonexistent/second" }, 60_000, out string stderr, out int code);
        Assert.True(code == 0, stdout + stderr);

        foreach (string root in new[] { Path.Combine(dest, "DFLComposite.ofx.bundle"), Path.Combine(install, "DFLComposite.ofx.bundle") })
        {
            string contents = Path.Combine(root, "Contents");
            string library = Path.Combine(contents, "Linux-x86-64", "DFLComposite.ofx");
            Assert.True(File.Exists(library), library);
            Assert.Equal("\x7f" + "ELF", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(library), 0, 4));
            Assert.Equal(File.ReadAllBytes(h.Binary), File.ReadAllBytes(library));
            foreach (string icon in new[] { "org.dflcomposite.faceswap.png", "org.dflcomposite.facematte.png" })
            {
                byte[] png = File.ReadAllBytes(Path.Combine(contents, "Resources", icon));
                Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            }

            XElement dict = XDocument.Load(Path.Combine(contents, "Info.plist")).Root!.Element("dict")!;
            XElement[] items = [.. dict.Elements()];
            string Value(string key) => items.SkipWhile(e => e.Name != "key" || e.Value != key).Skip(1).First().Value;
            Assert.Equal("DFLComposite.ofx", Value("CFBundleExecutable"));
            Assert.Equal("BNDL", Value("CFBundlePackageType"));
            Assert.Equal("org.dflcomposite.ofx", Value("CFBundleIdentifier"));
        }

        Assert.Empty(Directory.GetFileSystemEntries(dest, ".DFLComposite*"));
    }

    [Fact]
    public void The_solution_build_made_the_bundle()
    {
        OfxHarness h = OfxHarness.Shared;
        Assert.True(File.Exists(Path.Combine(h.Bundle, "Contents", "Info.plist")));
        Assert.True(File.Exists(h.Binary));
    }
}
