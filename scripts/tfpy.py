"""Independent Python tools for the interop tests: CRC32C, TFRecord framing, and protobuf
message classes (tf.Example, nucleus Variant, DeepVariant CallVariantsOutput) built at run
time from the field numbers with Debian's python3-protobuf — no code shared with smallcall."""
import gzip
import struct
import zlib

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

# ---- CRC32C (table-driven, reflected Castagnoli polynomial) ----
_TABLE = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    _TABLE.append(c)


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283


def frame(payload):
    header = struct.pack("<Q", len(payload))
    return header + struct.pack("<I", masked(header)) + payload + struct.pack("<I", masked(payload))


def write_tfrecords(path, payloads, compression="gzip"):
    data = b"".join(frame(p) for p in payloads)
    if compression == "gzip":
        data = gzip.compress(data, mtime=0)
    elif compression == "multigzip":
        half = len(data) // 2
        data = gzip.compress(data[:half], mtime=0) + gzip.compress(data[half:], mtime=0)
    elif compression == "zlib":
        data = zlib.compress(data)
    with open(path, "wb") as fh:
        fh.write(data)


def read_tfrecords(path):
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    out, pos = [], 0
    while pos < len(data):
        (length,) = struct.unpack_from("<Q", data, pos)
        (lcrc,) = struct.unpack_from("<I", data, pos + 8)
        assert lcrc == masked(data[pos:pos + 8]), f"{path}: length CRC"
        payload = data[pos + 12:pos + 12 + length]
        (dcrc,) = struct.unpack_from("<I", data, pos + 12 + length)
        assert dcrc == masked(payload), f"{path}: data CRC"
        out.append(payload)
        pos += 16 + length
    return out


# ---- protobuf classes from field numbers ----
F = descriptor_pb2.FieldDescriptorProto
_fdp = descriptor_pb2.FileDescriptorProto(name="smallcall_interop_test.proto", package="t", syntax="proto3")


def _msg(name, fields, parent=None, oneof=None):
    m = (parent.nested_type if parent else _fdp.message_type).add(name=name)
    if oneof:
        m.oneof_decl.add(name=oneof)
    for fname, number, ftype, label, type_name in fields:
        f = m.field.add(name=fname, number=number, type=ftype, label=label)
        if type_name:
            f.type_name = type_name
        if oneof:
            f.oneof_index = 0
    return m


OPT, REP = F.LABEL_OPTIONAL, F.LABEL_REPEATED


def _map(parent, field_name, number, value_type):
    entry = _msg(field_name.capitalize() + "Entry",
                 [("key", 1, F.TYPE_STRING, OPT, None), ("value", 2, F.TYPE_MESSAGE, OPT, value_type)], parent)
    entry.options.map_entry = True
    parent.field.add(name=field_name, number=number, type=F.TYPE_MESSAGE, label=REP,
                     type_name=f"{parent.name}.{entry.name}")


_msg("BytesList", [("value", 1, F.TYPE_BYTES, REP, None)])
_msg("FloatList", [("value", 1, F.TYPE_FLOAT, REP, None)])
_msg("Int64List", [("value", 1, F.TYPE_INT64, REP, None)])
_msg("Feature", [("bytes_list", 1, F.TYPE_MESSAGE, OPT, ".t.BytesList"),
                 ("float_list", 2, F.TYPE_MESSAGE, OPT, ".t.FloatList"),
                 ("int64_list", 3, F.TYPE_MESSAGE, OPT, ".t.Int64List")], oneof="kind")
_map(_msg("Features", []), "feature", 1, ".t.Feature")
_msg("Example", [("features", 1, F.TYPE_MESSAGE, OPT, ".t.Features")])
_msg("ListValue", [("values", 1, F.TYPE_MESSAGE, REP, ".t.Value")])
_msg("Value", [("number_value", 2, F.TYPE_DOUBLE, OPT, None), ("string_value", 3, F.TYPE_STRING, OPT, None),
               ("bool_value", 4, F.TYPE_BOOL, OPT, None), ("list_value", 6, F.TYPE_MESSAGE, OPT, ".t.ListValue"),
               ("int_value", 7, F.TYPE_INT32, OPT, None)], oneof="kind")
_call = _msg("VariantCall", [("phaseset", 5, F.TYPE_STRING, OPT, None),
                             ("genotype_likelihood", 6, F.TYPE_DOUBLE, REP, None),
                             ("genotype", 7, F.TYPE_INT32, REP, None), ("call_set_id", 8, F.TYPE_STRING, OPT, None),
                             ("call_set_name", 9, F.TYPE_STRING, OPT, None), ("is_phased", 10, F.TYPE_BOOL, OPT, None)])
_map(_call, "info", 2, ".t.ListValue")
_variant = _msg("Variant", [("id", 2, F.TYPE_STRING, OPT, None), ("names", 3, F.TYPE_STRING, REP, None),
                            ("reference_bases", 6, F.TYPE_STRING, OPT, None),
                            ("alternate_bases", 7, F.TYPE_STRING, REP, None), ("quality", 8, F.TYPE_DOUBLE, OPT, None),
                            ("filter", 9, F.TYPE_STRING, REP, None), ("calls", 11, F.TYPE_MESSAGE, REP, ".t.VariantCall"),
                            ("created", 12, F.TYPE_INT64, OPT, None), ("end", 13, F.TYPE_INT64, OPT, None),
                            ("reference_name", 14, F.TYPE_STRING, OPT, None),
                            ("variant_set_id", 15, F.TYPE_STRING, OPT, None), ("start", 16, F.TYPE_INT64, OPT, None)])
_map(_variant, "info", 10, ".t.ListValue")
_msg("AltAlleleIndices", [("indices", 1, F.TYPE_INT32, REP, None)])
_msg("CallVariantsOutput", [("variant", 1, F.TYPE_MESSAGE, OPT, ".t.Variant"),
                            ("alt_allele_indices", 2, F.TYPE_MESSAGE, OPT, ".t.AltAlleleIndices"),
                            ("genotype_probabilities", 3, F.TYPE_DOUBLE, REP, None)])

_pool = descriptor_pool.DescriptorPool()
_pool.Add(_fdp)


def _cls(name):
    d = _pool.FindMessageTypeByName("t." + name)
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(d)
    return message_factory.MessageFactory(_pool).GetPrototype(d)


Example = _cls("Example")
Variant = _cls("Variant")
VariantCall = _cls("VariantCall")
AltAlleleIndices = _cls("AltAlleleIndices")
CallVariantsOutput = _cls("CallVariantsOutput")
ListValue = _cls("ListValue")
