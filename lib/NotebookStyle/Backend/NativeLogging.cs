using System.Runtime.InteropServices;

namespace NotebookStyle.Backend;

/// <summary>
/// Keeps libtorch from printing warnings that a user can do nothing about, at their source, while every other native
/// warning and error still surfaces. The one such warning known is NNPACK's: on processors where NNPACK cannot start
/// (AMD EPYC with AVX-512, among others) libtorch 2.10 prints
/// <c>[W… NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.</c> to stderr each time a CPU
/// convolution asks whether NNPACK is available — hundreds of lines per run. Convolution selection asks only while
/// the user switch <c>at::Context::userEnabledNNPACK()</c> is on, and would pick NNPACK only for batches of 16 or more
/// (style transfer convolves one image at a time), so <see cref="Apply()"/> turns that switch off before the first
/// convolution: nothing is computed differently, and nothing is printed.
/// <para>
/// The user's own choice wins: where <c>TORCH_CPP_LOG_LEVEL</c> is set (<c>INFO</c>, <c>WARNING</c>, <c>ERROR</c>,
/// <c>FATAL</c> or 0–3, as in PyTorch), NNPACK is left as libtorch has it and that level is given to libtorch's logger
/// (libtorch outside Python never reads the variable itself), so <c>TORCH_CPP_LOG_LEVEL=WARNING</c> shows the
/// NNPACK line again.
/// </para>
/// </summary>
public static class NativeLogging
{
    /// <summary>The environment variable through which a user sets libtorch's C++ log level (PyTorch's name).</summary>
    public const string LogLevelVariable = "TORCH_CPP_LOG_LEVEL";

    // Itanium C++ ABI names: at::Context::setUserEnabledNNPACK(bool), at::Context::userEnabledNNPACK() const,
    // at::_ops::_nnpack_available::call() (the operator behind torch._nnpack_available()).
    internal const string SetNnpackSymbol = "_ZN2at7Context20setUserEnabledNNPACKEb";
    internal const string GetNnpackSymbol = "_ZNK2at7Context17userEnabledNNPACKEv";
    internal const string NnpackAvailableSymbol = "_ZN2at4_ops17_nnpack_available4callEv";

    // libc10's logging threshold (c10's own logger: messages below it are dropped): 0 INFO, 1 WARNING, 2 ERROR, 3 FATAL.
    internal const string LogLevelFlagSymbol = "FLAGS_caffe2_log_level";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetFlagFn(IntPtr context, byte enabled);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate byte GetFlagFn(IntPtr context);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate byte CallFn();

    private static readonly object Gate = new();

    /// <summary>What <see cref="Apply()"/> did in this process (<see cref="NativeLoggingMode.NotApplied"/> before it ran).</summary>
    public static NativeLoggingMode Mode { get; private set; } = NativeLoggingMode.NotApplied;

    /// <summary>
    /// Applies the policy above once the natives are loaded, before any convolution; called by
    /// <see cref="TorchBackend"/>. Never throws: where the switches cannot be reached (not Linux, another libtorch)
    /// nothing changes and <see cref="Mode"/> says so.
    /// </summary>
    internal static void Apply() => Apply(Environment.GetEnvironmentVariable(LogLevelVariable));

    /// <summary>The policy with the user's level given as <paramref name="userLevel"/> (null: not set).</summary>
    internal static void Apply(string? userLevel)
    {
        lock (Gate)
        {
            try
            {
                if (!string.IsNullOrWhiteSpace(userLevel))
                {
                    if (ParseLevel(userLevel) is { } level) SetLogLevel(level);
                    Mode = NativeLoggingMode.UserLevel;
                    return;
                }
                Mode = TrySetNnpackEnabled(false) ? NativeLoggingMode.NnpackQuiet : NativeLoggingMode.Unreachable;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or MarshalDirectiveException)
            {
                Mode = NativeLoggingMode.Unreachable;
            }
        }
    }

    /// <summary>
    /// Parses a <c>TORCH_CPP_LOG_LEVEL</c> value as PyTorch does: <c>INFO</c>, <c>WARNING</c>, <c>ERROR</c>, <c>FATAL</c>
    /// (any case) or 0–3; null for anything else (libtorch then keeps its default, WARNING).
    /// </summary>
    public static int? ParseLevel(string text) => text.Trim().ToUpperInvariant() switch
    {
        "0" or "INFO" => 0,
        "1" or "WARNING" => 1,
        "2" or "ERROR" => 2,
        "3" or "FATAL" => 3,
        _ => null,
    };

    /// <summary>libtorch's current log threshold (0 INFO … 3 FATAL), or null where it cannot be reached.</summary>
    public static int? LogLevel => LibTorchNative.Export(LibTorchNative.C10, LogLevelFlagSymbol) is { } flag ? Marshal.ReadInt32(flag) : null;

    /// <summary>Whether libtorch's NNPACK switch is on (null where it cannot be reached).</summary>
    public static bool? NnpackEnabled =>
        LibTorchNative.GlobalContext is var context && context != IntPtr.Zero &&
        LibTorchNative.Function<GetFlagFn>(LibTorchNative.TorchCpu, GetNnpackSymbol) is { } get
            ? get(context) != 0
            : null;

    /// <summary>
    /// Whether NNPACK can run on this processor (<c>torch._nnpack_available()</c>), asked with libtorch's logger held at
    /// ERROR for the moment of the question so that asking prints nothing; null where it cannot be reached.
    /// </summary>
    public static bool? NnpackAvailable
    {
        get
        {
            lock (Gate)
            {
                if (LibTorchNative.Function<CallFn>(LibTorchNative.TorchCpu, NnpackAvailableSymbol) is not { } available) return null;
                if (LibTorchNative.Export(LibTorchNative.C10, LogLevelFlagSymbol) is not { } flag) return null;
                int before = Marshal.ReadInt32(flag);
                Marshal.WriteInt32(flag, Math.Max(before, 2));
                try { return available() != 0; }
                finally { Marshal.WriteInt32(flag, before); }
            }
        }
    }

    /// <summary>Sets libtorch's NNPACK switch; false (nothing changed) where it cannot be reached.</summary>
    public static bool TrySetNnpackEnabled(bool enabled)
    {
        IntPtr context = LibTorchNative.GlobalContext;
        if (context == IntPtr.Zero || LibTorchNative.Function<SetFlagFn>(LibTorchNative.TorchCpu, SetNnpackSymbol) is not { } set) return false;
        set(context, enabled ? (byte)1 : (byte)0);
        return NnpackEnabled == enabled;
    }

    private static void SetLogLevel(int level)
    {
        if (LibTorchNative.Export(LibTorchNative.C10, LogLevelFlagSymbol) is { } flag) Marshal.WriteInt32(flag, level);
    }
}

/// <summary>What <see cref="NativeLogging.Apply()"/> did.</summary>
public enum NativeLoggingMode
{
    /// <summary>The natives have not been loaded yet.</summary>
    NotApplied,

    /// <summary>NNPACK's switch is off, so its "Could not initialize NNPACK!" warning cannot be printed.</summary>
    NnpackQuiet,

    /// <summary>The user set <c>TORCH_CPP_LOG_LEVEL</c>: that level is libtorch's, NNPACK is left as it was.</summary>
    UserLevel,

    /// <summary>libtorch's switches could not be reached (not Linux, or a libtorch without these symbols): nothing changed.</summary>
    Unreachable,
}
