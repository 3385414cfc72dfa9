using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace P2POrleans.Tests.Architecture;

/// <summary>
/// Which areas of the code (Common and the protocols, docs/architecture.md) a source file names,
/// read from its syntax: using directives, qualified names (P2POrleans.Gnutella.X, or Gnutella.X
/// relative to P2POrleans) and doc-comment crefs. The rule: Common names no protocol; a protocol
/// names only itself and Common, and Napster, Gnutella and FastTrack also Unstructured, their
/// shared base.
/// </summary>
public static class ProtocolDependencies
{
    public static readonly IReadOnlySet<string> Protocols = new HashSet<string>(StringComparer.Ordinal)
    {
        "Unstructured", "Napster", "Gnutella", "FastTrack", "Chord", "Pastry", "Kelips", "BitTorrent",
    };

    private static readonly IReadOnlySet<string> UnstructuredSystems = new HashSet<string>(StringComparer.Ordinal) { "Napster", "Gnutella", "FastTrack" };

    /// <summary>Common, a protocol, or null for code outside the rule (the console, the silo, the web view).</summary>
    public static string? AreaOf(string @namespace)
    {
        var segments = @namespace.Split('.');
        if (segments.Length < 2 || segments[0] != "P2POrleans")
        {
            return null;
        }

        var area = segments[1] == "Model" && segments.Length > 2 ? segments[2] : segments[1];
        return area == "Common" || Protocols.Contains(area) ? area : null;
    }

    public static bool MayName(string area, string named) =>
        named == area || named == "Common" || (named == "Unstructured" && UnstructuredSystems.Contains(area));

    /// <summary>The file's area and every forbidden name in it, as "line N: name".</summary>
    public static (string? Area, IReadOnlyList<string> Violations) Check(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Parse));
        var root = tree.GetCompilationUnitRoot();
        var declared = root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault();
        var area = declared is null ? null : AreaOf(declared.Name.ToString());
        if (area is null)
        {
            return (null, []);
        }

        var violations = new List<string>();
        foreach (var (node, name) in Names(root))
        {
            if (AreaNamed(name) is { } named && !MayName(area, named))
            {
                violations.Add($"line {node.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {name}");
            }
        }

        return (area, violations);
    }

    /// <summary>The area a dotted name points into: P2POrleans.X..., or X... relative to P2POrleans.</summary>
    private static string? AreaNamed(string name)
    {
        var segments = name.Replace("global::", "", StringComparison.Ordinal).Split('.');
        if (segments[0] == "P2POrleans")
        {
            return segments.Length > 1 ? AreaOf(string.Join('.', segments)) : null;
        }

        return segments.Length > 1 && (segments[0] == "Common" || Protocols.Contains(segments[0])) ? segments[0] : null;
    }

    private static IEnumerable<(SyntaxNode Node, string Name)> Names(CompilationUnitSyntax root)
    {
        foreach (var node in root.DescendantNodes(descendIntoTrivia: true))
        {
            switch (node)
            {
                case UsingDirectiveSyntax { NamespaceOrType: { } target }:
                    yield return (node, target.ToString());
                    break;
                case QualifiedNameSyntax or AliasQualifiedNameSyntax when node.Parent is not QualifiedNameSyntax and not UsingDirectiveSyntax:
                    yield return (node, node.ToString());
                    break;
                case MemberAccessExpressionSyntax when node.Parent is not MemberAccessExpressionSyntax:
                    yield return (node, Leftmost((MemberAccessExpressionSyntax)node));
                    break;
                case QualifiedCrefSyntax cref:
                    yield return (node, cref.Container + "." + cref.Member);
                    break;
            }
        }
    }

    /// <summary>The dotted prefix of a member access made of plain names only (a.b.c of a.b.c(x).d).</summary>
    private static string Leftmost(MemberAccessExpressionSyntax access)
    {
        var parts = new Stack<string>();
        ExpressionSyntax current = access;
        while (current is MemberAccessExpressionSyntax m)
        {
            parts.Push(m.Name.Identifier.Text);
            current = m.Expression;
        }

        if (current is not IdentifierNameSyntax and not AliasQualifiedNameSyntax)
        {
            return "";
        }

        parts.Push(current.ToString());
        return string.Join('.', parts);
    }
}
