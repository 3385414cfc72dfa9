using P2POrleans.Unstructured;

namespace P2POrleans.Tests.Unstructured;

public sealed class KeywordQueryTests
{
    [Theory]
    [InlineData("madonna", "Madonna - Like A Prayer.mp3", true)]
    [InlineData("LIKE prayer", "Madonna - Like A Prayer.mp3", true)]
    [InlineData("prayer like", "Madonna - Like A Prayer.mp3", true)]
    [InlineData("madonna pra", "Madonna - Like A Prayer.mp3", true)] // the last word is a prefix
    [InlineData("mado prayer", "Madonna - Like A Prayer.mp3", false)] // the others are whole words
    [InlineData("madonna beatles", "Madonna - Like A Prayer.mp3", false)]
    [InlineData("", "anything", false)]
    [InlineData(" -- ", "anything", false)]
    [InlineData("mp3", "song.MP3", true)]
    [InlineData("café", "Le Café.ogg", true)]
    public void Every_word_must_match_case_insensitively(string query, string name, bool matches) =>
        Assert.Equal(matches, new KeywordQuery(query).Matches(name));

    [Fact]
    public void Equivalent_queries_share_a_cache_key()
    {
        Assert.Equal(new KeywordQuery("Like madonna pray").CanonicalKey, new KeywordQuery("madonna, LIKE like pray").CanonicalKey);
        Assert.NotEqual(new KeywordQuery("madonna pray").CanonicalKey, new KeywordQuery("pray madonna").CanonicalKey);
    }
}
