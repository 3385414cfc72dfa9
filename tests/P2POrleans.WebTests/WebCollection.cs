namespace P2POrleans.WebTests;

/// <summary>The web tests share one silo, one web view and one browser (<see cref="WebFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "web";
}
