namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// The one exception the descriptor decoder (and encoder, for values that cannot be put on the
/// wire) throws: bad length, unknown payload type, truncated input, payload too large,
/// inconsistent hit count, missing NUL terminators, text that is not UTF-8.
/// </summary>
public sealed class DescriptorFormatException : Exception
{
    public DescriptorFormatException()
    {
    }

    public DescriptorFormatException(string message)
        : base(message)
    {
    }

    public DescriptorFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
