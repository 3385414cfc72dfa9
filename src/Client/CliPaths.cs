namespace P2POrleans.Client;

/// <summary>
/// A path given on the command line, checked before any file call: an empty path or one with a NUL
/// makes .NET's path APIs throw ArgumentException, which would surface as an unexpected error
/// instead of one line of bad input (the command-line fuzz found the first such crash).
/// </summary>
public static class CliPaths
{
    /// <summary>The full path, or a <see cref="CliException"/> naming the option.</summary>
    public static string Full(string? path, string option)
    {
        if (string.IsNullOrWhiteSpace(path) || path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            throw new CliException($"{option} needs a file or folder path");
        }

        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new CliException($"{option}: not a usable path ({e.Message})");
        }
    }
}
