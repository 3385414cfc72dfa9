using System.CommandLine;
using System.Globalization;

namespace P2POrleans.Client.Commands;

/// <summary>
/// The `create` options of the overlays that replicate keys: --durable (peer state in
/// grain storage, docs/durability.md) and --spread-replicas (replica placement awareness). One
/// definition for Chord, Pastry and Kelips, and one clear line for the protocols without them.
/// </summary>
public static class DurabilityOptions
{
    public const string DurableOption = "--durable";

    public const string SpreadReplicasOption = "--spread-replicas";

    /// <summary>The protocols whose `create` takes the two options.</summary>
    public static IReadOnlySet<string> Protocols { get; } = new HashSet<string>(StringComparer.Ordinal) { "chord", "pastry", "kelips" };

    public static Option<bool> Durable() => new(DurableOption)
    {
        Description = "durable peers: state and keys persisted with grain storage, so a silo crash relocates peers with their keys (docs/durability.md)",
    };

    public static Option<bool> SpreadReplicas() => new(SpreadReplicasOption)
    {
        Description = "replica placement awareness: the copies of a key go to peers on distinct silos where possible (docs/durability.md)",
    };

    /// <summary>", durable peers" and ", replicas spread over silos" for the `created ...` line.</summary>
    public static string Describe(bool durable, bool spread) =>
        (durable ? ", durable peers" : "") + (spread ? ", replicas spread over silos" : "");

    /// <summary>
    /// A clearer line than "unrecognized argument" when --durable or --spread-replicas is given to a
    /// protocol that does not implement it; null for any other parse error.
    /// </summary>
    public static string? UnsupportedOption(IReadOnlyList<string> args)
    {
        var protocol = args.FirstOrDefault(a => !a.StartsWith('-') && !int.TryParse(a, CultureInfo.InvariantCulture, out _));
        var option = args.FirstOrDefault(a => a is DurableOption or SpreadReplicasOption);
        return protocol is null || Protocols.Contains(protocol) || option is null
            ? null
            : $"{option} is supported by {string.Join(", ", Protocols.Order(StringComparer.Ordinal))} only (e.g. p2p chord create NAME {option}); '{protocol}' overlays are volatile";
    }
}
