using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Common;

namespace P2POrleans.Tests.Fuzzing;

/// <summary>
/// Id parsing on hostile text: never throws; a refusal says why; an accepted id fits in m
/// bits and formats back to text that parses to the same id.
/// </summary>
public sealed class NodeIdParseFuzzTests
{
    public static Arbitrary<(int Bits, string Text)> Cases() =>
        (from bits in Gen.Elements(1, 3, 8, 16, 32, 64, 100, 159, 160)
         from text in FuzzInput.HostileText
         select (bits, text)).ToArbitrary();

    [Property(Arbitrary = [typeof(NodeIdParseFuzzTests)], MaxTest = 5000)]
    public bool Parsing_never_throws_and_accepted_ids_round_trip((int Bits, string Text) c)
    {
        var space = new IdSpace(c.Bits);
        if (!space.TryParse(c.Text, out var id, out var error))
        {
            return !string.IsNullOrWhiteSpace(error) && !error.Any(char.IsControl)
                ? true
                : throw new InvalidOperationException($"refused {Show(c.Text)} with a bad error: {Show(error)}");
        }

        return space.Contains(id) && space.TryParse(space.Format(id), out var again, out _) && again == id
            ? true
            : throw new InvalidOperationException($"accepted {Show(c.Text)} as {space.Format(id)} which does not round-trip");
    }

    private static string Show(string text) => string.Concat(text.Select(ch => char.IsControl(ch) ? $"\\u{(int)ch:x4}" : ch.ToString()));
}
