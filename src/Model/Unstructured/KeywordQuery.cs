using System.Globalization;

namespace P2POrleans.Unstructured;

/// <summary>
/// The keyword matching rule shared by Napster, Gnutella and FastTrack, so the three systems
/// answer the same query with the same files: names and queries are split into words (runs of
/// letters and digits, lower-cased invariantly); a name matches when every query word is a word of
/// the name, the last query word also matching as a prefix (search-as-you-type, as Napster did).
/// A query without words matches nothing.
/// </summary>
public sealed class KeywordQuery
{
    private readonly string[] _words;

    public KeywordQuery(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
        _words = SplitWords(text).ToArray();
    }

    public string Text { get; }

    public IReadOnlyList<string> Words => _words;

    public bool IsEmpty => _words.Length == 0;

    /// <summary>A canonical form (sorted distinct words, last word kept last) used as a cache key.</summary>
    public string CanonicalKey => _words.Length == 0
        ? string.Empty
        : string.Join(' ', _words[..^1].Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) + "|" + _words[^1];

    public static IEnumerable<string> SplitWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWordChar = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                yield return text[start..i].ToLower(CultureInfo.InvariantCulture);
                start = -1;
            }
        }
    }

    public bool Matches(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (_words.Length == 0)
        {
            return false;
        }

        var nameWords = SplitWords(fileName).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < _words.Length - 1; i++)
        {
            if (!nameWords.Contains(_words[i]))
            {
                return false;
            }
        }

        var last = _words[^1];
        return nameWords.Any(w => w.StartsWith(last, StringComparison.Ordinal));
    }

    public override string ToString() => Text;
}
