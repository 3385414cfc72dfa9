namespace P2POrleans.Tests.Architecture;

/// <summary>Dependencies run one way: Common &lt;- Unstructured &lt;- Napster, Gnutella, FastTrack; no protocol names a sibling.</summary>
public sealed class ProtocolDependencyTests
{
    [Fact]
    public void No_file_in_src_names_a_sibling_protocol_and_Common_names_none()
    {
        var src = Path.Combine(RepoRoot(), "src");
        var checkedFiles = 0;
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepoRoot(), file).Replace('\\', '/');
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var (area, found) = ProtocolDependencies.Check(File.ReadAllText(file));
            if (area is not null)
            {
                checkedFiles++;
                violations.AddRange(found.Select(v => $"{relative} ({area}) {v}"));
            }
        }

        Assert.True(checkedFiles > 300, $"only {checkedFiles} files of Common and the protocols found under {src}");
        Assert.True(violations.Count == 0, "names across areas:\n" + string.Join('\n', violations));
    }

    [Theory]
    [InlineData("namespace P2POrleans.FastTrack;\nusing P2POrleans.Gnutella;\nclass A;", "line 2: P2POrleans.Gnutella")]
    [InlineData("using P2POrleans.Napster;\nnamespace P2POrleans.Unstructured.Flooding;\nclass A;", "line 1: P2POrleans.Napster")]
    [InlineData("namespace P2POrleans.Gnutella;\nclass A { object B => new Napster.NapsterNode(); }", "line 2: Napster.NapsterNode")]
    [InlineData("namespace P2POrleans.Gnutella;\nclass A { int B => global::P2POrleans.Kelips.KelipsOptions.X; }", "line 2: global::P2POrleans.Kelips.KelipsOptions.X")]
    [InlineData("namespace P2POrleans.Chord;\n/// <see cref=\"Pastry.PastryNode\"/>\nclass A;", "line 2: Pastry.PastryNode")]
    [InlineData("namespace P2POrleans.Common;\nusing P2POrleans.Unstructured;\nclass A;", "line 2: P2POrleans.Unstructured")]
    [InlineData("namespace P2POrleans.Model.Chord;\nusing P2POrleans.Model.Kelips;\nclass A;", "line 2: P2POrleans.Model.Kelips")]
    [InlineData("namespace P2POrleans.BitTorrent.Choking;\nusing X = P2POrleans.Chord.ChordNode;\nclass A;", "line 2: P2POrleans.Chord.ChordNode")]
    public void A_name_across_areas_is_found(string source, string expected) =>
        Assert.Equal([expected], ProtocolDependencies.Check(source).Violations);

    [Theory]
    [InlineData("namespace P2POrleans.FastTrack;\nusing P2POrleans.Common;\nusing P2POrleans.Unstructured.Flooding;\nclass A { object B => Unstructured.UnstructuredNodes.Key(\"o\", 1); }")]
    [InlineData("namespace P2POrleans.Unstructured;\nusing P2POrleans.Common;\n/// <see cref=\"Common.P2PException\"/>\nclass A { int B => C.Chord.Length; }")]
    [InlineData("namespace P2POrleans.Client.Commands;\nusing P2POrleans.Chord;\nusing P2POrleans.Kelips;\nclass A;")]
    [InlineData("namespace P2POrleans.Kelips;\nclass A { string B => nameof(A); object C => System.Math.Max(1, 2); }")]
    public void Names_within_the_rule_pass(string source) =>
        Assert.Empty(ProtocolDependencies.Check(source).Violations);

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "P2POrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no P2POrleans.sln above " + AppContext.BaseDirectory);
    }
}
