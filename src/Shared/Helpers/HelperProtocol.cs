namespace WebTrainer.Shared.Helpers;

/// <summary>
/// What the Web and its helper processes (<c>WebTrainer.Worker helper</c>) say to each other: one
/// <see cref="HelperRequest"/> per line of JSON on the helper's stdin, one <see cref="HelperAnswer"/>
/// per line on its stdout after <see cref="Marker"/> (anything else on stdout, such as a native
/// library's print, is not an answer); its logs go to stderr. The end of stdin means the Web is gone.
/// </summary>
public static class HelperProtocol
{
    public const string Command = "helper";
    public const string Marker = "@webtrainer-helper ";

    /// <summary>Set (to 1) in a helper's environment only when the Web runs with <c>Helpers:FaultInjection=true</c>.</summary>
    public const string FaultVariable = "WEBTRAINER_HELPER_FAULTS";

    public const string Inspect = "inspect";
    public const string CheckHdf5 = "check-hdf5";
    public const string Validate = "validate";
    public const string Samples = "samples";
    public const string Predict = "predict";
}
