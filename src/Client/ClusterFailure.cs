using System.Globalization;
using System.Text.RegularExpressions;
using Orleans.Runtime;
using Polly.Timeout;

namespace P2POrleans.Client;

/// <summary>
/// What went wrong between the console and the cluster, in words: which silo did not answer, or that
/// no gateway does (docs/cluster.md, "Errors and exit codes"). Never an exception type or a source path.
/// </summary>
public static partial class ClusterFailure
{
    /// <summary>Failures that a later try may not meet: the silo or gateway went away, or the call timed out.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => IsTransient(a.InnerExceptions[0]),
        SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException => true,
        Orleans.Runtime.Messaging.ConnectionFailedException => true,
        TimeoutException or TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>The failure in words, e.g. "silo 127.0.0.1:22002 did not answer (crashed?)"; null when it is not a failure to reach the cluster.</summary>
    public static string? Describe(Exception e)
    {
        switch (e)
        {
            case AggregateException { InnerExceptions.Count: 1 } a:
                return Describe(a.InnerExceptions[0]);
            case TimeoutRejectedException t:
                return $"no answer within {Seconds(t.Timeout)} (silo hung or overloaded?)";
            case TimeoutException:
                return "no answer within the response timeout (silo hung or overloaded?)";
            case GatewayTooBusyException:
                return "the cluster's gateway is overloaded and refused the call";
            case SiloUnavailableException:
                return SiloIn(e.Message) is { } gone
                    ? $"silo {gone} went away before answering (crashed?)"
                    : "a silo went away before answering (crashed?)";
            case Orleans.Runtime.Messaging.ConnectionFailedException or OrleansMessageRejectionException:
                if (e.Message.Contains("gateways", StringComparison.OrdinalIgnoreCase))
                {
                    return "no gateway of the cluster answers (are the silos up?)";
                }

                return SiloIn(e.Message) is { } silo
                    ? $"silo {silo} did not answer (crashed?)"
                    : "the cluster refused the call: " + Words(e.Message);
            default:
                return null;
        }
    }

    /// <summary>"1 try over 0.0 s", "3 tries over 2.0 s".</summary>
    public static string Tries(int attempts, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{attempts} {(attempts == 1 ? "try" : "tries")} over {elapsed.TotalSeconds:F1} s");

    /// <summary>
    /// The silo endpoint ("127.0.0.1:22002") an Orleans message names: the target of a message
    /// ("...->S127.0.0.1:22002:123...") if there is one, else the first silo address.
    /// </summary>
    public static string? SiloIn(string message)
    {
        var arrow = message.IndexOf("->", StringComparison.Ordinal);
        if (arrow >= 0 && SiloAddressPattern().Match(message, arrow) is { Success: true } target)
        {
            return target.Groups["endpoint"].Value;
        }

        var first = SiloAddressPattern().Match(message);
        return first.Success ? first.Groups["endpoint"].Value : null;
    }

    /// <summary>
    /// A message made fit to show: the first line, without "Namespace.TypeName:" prefixes, stack
    /// frames ("at X in /path:line N") or inner-exception markers.
    /// </summary>
    public static string Words(string message)
    {
        var text = message.Split(['\r', '\n'], 2)[0];
        foreach (var cut in new[] { " at ", " ---> ", " See InnerException" })
        {
            var i = text.IndexOf(cut, StringComparison.Ordinal);
            if (i > 0)
            {
                text = text[..i];
            }
        }

        text = TypePrefixPattern().Replace(text, "");
        text = SourcePathPattern().Replace(text, "");
        return text.Trim().TrimEnd('.', ':');
    }

    private static string Seconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s");

    // "S127.0.0.1:22002:155271730", "127.0.0.1:22002@155271730", "endpoint 127.0.0.1:22002".
    [GeneratedRegex(@"\bS?(?<endpoint>\d{1,3}(?:\.\d{1,3}){3}:\d{1,5})(?=[:@\s.,;)]|$)")]
    private static partial Regex SiloAddressPattern();

    [GeneratedRegex(@"\b(?:[A-Za-z_][A-Za-z0-9_]*\.)+[A-Za-z_][A-Za-z0-9_]*(?:Exception|Error)\s*:\s*")]
    private static partial Regex TypePrefixPattern();

    [GeneratedRegex(@"\s*\bin\s+/\S+:line\s+\d+")]
    private static partial Regex SourcePathPattern();
}
