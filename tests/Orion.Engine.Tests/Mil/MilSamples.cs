// MIL text samples shared by the parser, printer and round-trip tests (ane-reference.md section 4).
namespace Orion.Engine.Tests.Mil;

internal static class MilSamples
{
    /// <summary>The section-4 example exactly as MilPrinter lays it out.</summary>
    public const string Section4 =
        "program(1.3)\n" +
        "[buildInfo = dict<string, string>({{\"coremlc-component-MIL\", \"3510.2.1\"}, {\"coremlc-version\", \"3505.4.1\"}, {\"coremltools-component-milinternal\", \"\"}, {\"coremltools-version\", \"9.0\"}})]\n" +
        "{\n" +
        "    func main<ios18>(tensor<fp16, [1, 256, 1, 64]> x) {\n" +
        "        string pt = const()[name = string(\"pt\"), val = string(\"valid\")];\n" +
        "        tensor<fp16, [1, 256, 1, 64]> y = relu(x = x)[name = string(\"y\")];\n" +
        "    } -> (y);\n" +
        "}\n";

    /// <summary>A realistic program in Core ML's own spelling: decimal floats, comments, weights, attention bits.</summary>
    public const string Realistic = """
        program(1.3)
        [buildInfo = dict<string, string>({{"coremlc-component-MIL", "3510.2.1"}, {"coremltools-version", "9.0"}})]
        {
            // a 1x1 conv followed by rmsnorm-ish reductions
            func main<ios18>(tensor<fp16, [1, 64, 1, 32]> x, tensor<fp16, [1, 1, 32, 32]> mask) {
                string pt = const()[name = string("pt"), val = string("valid")];
                tensor<int32, [2]> st = const()[name = string("st"), val = tensor<int32, [2]>([1, 1])];
                tensor<int32, [4]> pd = const()[name = string("pd"), val = tensor<int32, [4]>([0, 0, 0, 0])];
                tensor<int32, [2]> dl = const()[name = string("dl"), val = tensor<int32, [2]>([1, 1])];
                int32 gr = const()[name = string("gr"), val = int32(1)];
                tensor<fp16, [64, 64, 1, 1]> W = const()[name = string("W"), val = tensor<fp16, [64, 64, 1, 1]>(BLOBFILE(path = string("@model_path/weights/w.bin"), offset = uint64(64)))];
                tensor<fp16, [1, 64, 1, 32]> y = conv(dilations = dl, groups = gr, pad = pd, pad_type = pt, strides = st, weight = W, x = x)[name = string("y")];
                /* squares
                   and means */
                tensor<fp16, [1, 64, 1, 32]> sq = mul(x = y, y = y)[name = string("sq")];
                tensor<int32, [1]> ax = const()[name = string("ax"), val = tensor<int32, [1]>([1])];
                bool kd = const()[name = string("kd"), val = bool(true)];
                tensor<fp16, [1, 1, 1, 32]> ms = reduce_mean(axes = ax, keep_dims = kd, x = sq)[name = string("ms")];
                fp16 eps = const()[name = string("eps"), val = fp16(0.00001)];
                tensor<fp16, [1, 1, 1, 32]> me = add(x = ms, y = eps)[name = string("me")];
                fp16 nh = const()[name = string("nh"), val = fp16(-0x1p-1)];
                tensor<fp16, [1, 1, 1, 32]> rs = pow(x = me, y = nh)[name = string("rs")];
                tensor<fp16, [1, 64, 1, 32]> out = mul(x = y, y = rs)[name = string("out")];
                fp32 tiny = const()[name = string("tiny"), val = fp32(-1e-05)];
                tensor<fp16, []> half = const()[name = string("half"), val = tensor<fp16, []>(0x1p-1)];
                int32 cax = const()[name = string("cax"), val = int32(-3)];
                bool il = const()[name = string("il"), val = bool(false)];
                tensor<fp16, [1, 128, 1, 32]> cat = concat(axis = cax, interleave = il, values = (out, y))[name = string("cat")];
            } -> (cat, out);
        }
        """;

    /// <summary>Two functions, multiple outputs in both spellings, constexpr attributes, nested literals.</summary>
    public const string Features = """
        program(1.3)
        {
            func main(tensor<fp16, [1, 8, 1, 4]> x) {
                tensor<fp16, [4, 8]> w = constexpr_affine_dequantize()[axis = int32(0), name = string("w"), quantized_data = tensor<int8, [4, 8]>(BLOBFILE(path = string("@model_path/weights/sub/a.bin"), offset = uint64(192))), scale = tensor<fp16, [4]>([0x1p-3, 0x1.8p+4, -0x1p-2, 0x1p-24]), zero_point = tensor<int8, [4]>([0, -1, 127, -128])];
                (tensor<fp16, [1, 4, 1, 4]> a, tensor<fp16, [1, 4, 1, 4]> b) = split(x = x)[name = string("s")];
                tensor<fp16, [1, 4, 1, 4]> c, tensor<fp16, [1, 4, 1, 4]> d = split(x = x)[name = string("s2")];
                tensor<fp16, [2, 2]> m = const()[name = string("m"), val = tensor<fp16, [2, 2]>([[1, 2], [3, 4]])];
                tensor<int32, [2, 2, 2]> k = const()[name = string("k"), val = tensor<int32, [2, 2, 2]>([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])];
                tensor<uint8, [3]> u = const()[name = string("u"), val = tensor<uint8, [3]>([0, 128, 255])];
                string esc = const()[name = string("esc"), val = string("a\"b\\c\nd")];
                tensor<fp32, [3]> sp = const()[name = string("sp"), val = tensor<fp32, [3]>([inf, -inf, nan])];
                tensor<fp16, [1, 4, 1, 4]> e = identity(x = a)[name = string("e")];
            } -> (e, b, c, d);
            func helper<ios17>() {
                tensor<bool, []> t = const()[name = string("t"), val = tensor<bool, []>([true])];
                uint64 off = const()[name = string("off"), val = uint64(64)];
            } -> (t);
        }
        """;

    public static readonly string[] All = [Section4, Realistic, Features];
}
