#!/usr/bin/env python3
"""Write, or check, fixtures/precompile/vectors.json: the inputs and expected
outputs of the precompile group.

    scripts/precompile-vectors.py           write the file (then: cargo run --release --bin gen-fixtures)
    scripts/precompile-vectors.py --check   recompute every derived value and compare with the file

Two kinds of vector, each entry naming its source:

- published: input and output copied from the EIPs or from go-ethereum's
  precompile test files (core/vm/testdata/precompiles/*.json);
- derived: built here from a published one, or computed here by code that
  shares nothing with the implementations under test: Python's hashlib and
  pow(), a BLAKE2b compression function written from RFC 7693 (checked
  below against EIP-152's vectors), and algebra (the scalar of a
  multi-scalar multiplication split into parts that sum to a published one
  modulo the group order; a pairing product that equals 1 repeated).

Gas is not written here: the suite prices every call itself from the EIPs
(src/groups/precompile/pricing.rs) and checks revm against that.
"""
import hashlib
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "precompile" / "vectors.json"
GETH = "go-ethereum core/vm/testdata/precompiles"

# BLS12-381 (EIP-2537): base field modulus, subgroup order, generators.
BLS_P = 0x1A0111EA397FE69A4B1BA7B6434BACD764774B84F38512BF6730D2A0F6B0F6241EABFFFEB153FFFFB9FEFFFFFFFFAAAB
BLS_Q = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001
G1 = ("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb",
      "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1")
G2 = ("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
      "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e",
      "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
      "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be")


def fp(hex48):
    """An Fp element in EIP-2537's 64-byte encoding."""
    return "00" * 16 + hex48


def point(*coords):
    return "".join(fp(c) for c in coords)


def scalar(n):
    return n.to_bytes(32, "big").hex()


# --- published vectors -------------------------------------------------------

ONE = "00" * 31 + "01"

PUBLISHED = {
    "ecrecover/valid_key": (0x01, f"{GETH}/ecRecover.json, \"ValidKey\"",
        "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c"
        "000000000000000000000000000000000000000000000000000000000000001c"
        "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f"
        "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549",
        "000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b"),
    "ecrecover/unrecoverable_key": (0x01, f"{GETH}/ecRecover.json, \"CallEcrecoverUnrecoverableKey\": no key, empty output",
        "a8b53bdf3306a35a7103ab5504a0c9b492295564b6202b1942a84ef300107281"
        "000000000000000000000000000000000000000000000000000000000000001b"
        "3078356531653033663533636531386237373263636230303933666637316633"
        "6635336635633735623734646362333161383561613862383839326234653862"
        "1122334455667788991011121314151617181920212223242526272829303132",
        ""),
    "modexp/nagydani_1_square": (0x05, f"{GETH}/modexp_eip7883.json, \"nagydani-1-square\" (64-byte base and modulus)",
        "0000000000000000000000000000000000000000000000000000000000000040"
        "0000000000000000000000000000000000000000000000000000000000000001"
        "0000000000000000000000000000000000000000000000000000000000000040"
        "e09ad9675465c53a109fac66a445c91b292d2bb2c5268addb30cd82f80fcb0033ff97c80a5fc6f39193ae969c6ede6710a6b7ac27078a06d90ef1c72e5c85fb5"
        "02"
        "fc9e1f6beb81516545975218075ec2af118cd8798df6e08a147c60fd6095ac2bb02c2908cf4dd7c81f11c289e4bce98f3553768f392a80ce22bf5c4f4a248c6b",
        "60008f1614cc01dcfb6bfb09c625cf90b47d4468db81b5f8b7a39d42f332eab9b2da8f2d95311648a8f243f4bb13cfb3d8f7f2a3c014122ebb3ed41b02783adc"),
    "modexp/nagydani_3_pow0x10001": (0x05, f"{GETH}/modexp_eip7883.json, \"nagydani-3-pow0x10001\" (256-byte base and modulus)",
        "0000000000000000000000000000000000000000000000000000000000000100"
        "0000000000000000000000000000000000000000000000000000000000000003"
        "0000000000000000000000000000000000000000000000000000000000000100"
        "c9130579f243e12451760976261416413742bd7c91d39ae087f46794062b8c239f2a74abf3918605a0e046a7890e049475ba7fbb78f5de6490bd22a710cc04d3"
        "0088179a919d86c2da62cf37f59d8f258d2310d94c24891be2d7eeafaa32a8cb4b0cfe5f475ed778f45907dc8916a73f03635f233f7a77a00a3ec9ca6761a5bb"
        "d558a2318ecd0caa1c5016691523e7e1fa267dd35e70c66e84380bdcf7c0582f540174e572c41f81e93da0b757dff0b0fe23eb03aa19af0bdec3afb474216feb"
        "aacb8d0381e631802683182b0fe72c28392539850650b70509f54980241dc175191a35d967288b532a7a8223ce2440d010615f70df269501944d4ec16fe4a3cb"
        "010001"
        "d7a85909174757835187cb52e71934e6c07ef43b4c46fc30bbcd0bc72913068267c54a4aabebb493922492820babdeb7dc9b1558fcf7bd82c37c82d3147e455b"
        "623ab0efa752fe0b3a67ca6e4d126639e645a0bf417568adbb2a6a4eef62fa1fa29b2a5a43bebea1f82193a7dd98eb483d09bb595af1fa9c97c7f41f5649d976"
        "aee3e5e59e2329b43b13bea228d4a93f16ba139ccb511de521ffe747aa2eca664f7c9e33da59075cc335afcd2bf3ae09765f01ab5a7c3e3938ec168b74724b50"
        "74247d200d9970382f683d6059b94dbc336603d1dfee714e4b447ac2fa1d99ecb4961da2854e03795ed758220312d101e1e3d87d5313a6d052aebde75110363d",
        "37843d7c67920b5f177372fa56e2a09117df585f81df8b300fba245b1175f488c99476019857198ed459ed8d9799c377330e49f4180c4bf8e8f66240c64f65ed"
        "e93d601f957b95b83efdee1e1bfde74169ff77002eaf078c71815a9220c80b2e3b3ff22c2f358111d816ebf83c2999026b6de50bfc711ff68705d2f40b753424"
        "aefc9f70f08d908b5a20276ad613b4ab4309a3ea72f0c17ea9df6b3367d44fb3acab11c333909e02e81ea2ed404a712d3ea96bba87461720e2d98723e7acd052"
        "0ac1a5212dbedcd8dc0c1abf61d4719e319ff4758a774790b8d463cdfe131d1b2dcfee52d002694e98e720cb6ae7ccea353bc503269ba35f0f63bf8d7b672a76"),
    "bn254_add/chfast1": (0x06, f"{GETH}/bn256Add.json, \"chfast1\"",
        "18b18acfb4c2c30276db5411368e7185b311dd124691610c5d3b74034e093dc9"
        "063c909c4720840cb5134cb9f59fa749755796819658d32efc0d288198f37266"
        "07c2b7f58a84bd6145f00c9c2bc0bb1a187f20ff2c92963a88019e7c6a014eed"
        "06614e20c147e940f2d70da3f74c9a17df361706a4485c742bd6788478fa17d7",
        "2243525c5efd4b9c3d3c45ac0ca3fe4dd85e830a4ce6b65fa1eeaee202839703"
        "301d1d33be6da8e509df21cc35964723180eed7532537db9ae5e7d48f195c915"),
    "bn254_mul/cdetrio1": (0x07, f"{GETH}/bn256ScalarMul.json, \"cdetrio1\" (a full 256-bit scalar)",
        "1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe3"
        "1a2f3c951f6dadcc7ee9007dff81504b0fcd6d7cf59996efdc33d92bf7f9f8f6"
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "2cde5879ba6f13c0b5aa4ef627f159a3347df9722efce88a9afbb20b763b4c41"
        "1aa7e43076f6aee272755a7f9b84832e71559ba0d2e0b17d5f9f01755e5b0d11"),
    "bn254_pairing/2_pairs": (0x08, f"{GETH}/bn256Pairing.json, \"jeff1\"",
        "1c76476f4def4bb94541d57ebba1193381ffa7aa76ada664dd31c16024c43f59"
        "3034dd2920f673e204fee2811c678745fc819b55d3e9d294e45c9b03a76aef41"
        "209dd15ebff5d46c4bd888e51a93cf99a7329636c63514396b4a452003a35bf7"
        "04bf11ca01483bfa8b34b43561848d28905960114c8ac04049af4b6315a41678"
        "2bb8324af6cfc93537a2ad1a445cfd0ca2a71acd7ac41fadbf933c2a51be344d"
        "120a2a4cf30c1bf9845f20c6fe39e07ea2cce61f0c9bb048165fe5e4de877550"
        "111e129f1cf1097710d41c4ac70fcdfa5ba2023c6ff1cbeac322de49d1b6df7c"
        "2032c61a830e3c17286de9462bf242fca2883585b93870a73853face6a6bf411"
        "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
        "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
        "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b"
        "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa",
        ONE),
    "blake2f/12_rounds": (0x09, "EIP-152, test vector 5 (also in " + GETH + "/blake2F.json)",
        "0000000c"
        "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b"
        "6162630000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "0300000000000000" "0000000000000000"
        "01",
        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
        "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"),
    "kzg_point_evaluation/valid": (0x0a, f"{GETH}/pointEvaluation.json, \"pointEvaluation1\" (mainnet trusted setup)",
        "01e798154708fe7789429634053cbf9f99b619f9f084048927333fce637f549b"
        "564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d36306"
        "24d25032e67a7e6a4910df5834b8fe70e6bcfeeac0352434196bdf4b2485d5a1"
        "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7"
        "873033e038326e87ed3e1276fd140253fa08e9fc25fb2d9a98527fc22a2c9612fbeafdad446cbc7bcdbdcd780af2c16a",
        # EIP-4844: FIELD_ELEMENTS_PER_BLOB ‖ BLS_MODULUS
        "0000000000000000000000000000000000000000000000000000000000001000"
        "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"),
    "bls12_g1add/g1_plus_g1": (0x0b, f"{GETH}/blsG1Add.json, \"bls_g1add_(g1+g1=2*g1)\"",
        point(*G1) + point(*G1),
        point("0572cbea904d67468808c8eb50a9450c9721db309128012543902d0ac358a62ae28f75bb8f1c7c42c39a8c5529bf0f4e",
              "166a9d8cabc673a322fda673779d8e3822ba3ecb8670e461f73bb9021d5fd76a4c56d9d4cd16bd1bba86881979749d28")),
    "bls12_g2add/g2_plus_g2": (0x0d, f"{GETH}/blsG2Add.json, \"bls_g2add_(g2+g2=2*g2)\"",
        point(*G2) + point(*G2),
        point("1638533957d540a9d2370f17cc7ed5863bc0b995b8825e0ee1ea1e1e4d00dbae81f14b0bf3611b78c952aacab827a053",
              "0a4edef9c1ed7f729f520e47730a124fd70662a904ba1074728114d1031e1572c6c886f6b57ec72a6178288c47c33577",
              "0468fb440d82b0630aeb8dca2b5256789a66da69bf91009cbfe6bd221e47aa8ae88dece9764bf3bd999d95d71e4c9899",
              "0f6d4552fa65dd2638b361543f887136a43253d9c66c411697003f7a13c308f5422e1aa0a59c8967acdefd8b6e36ccf3")),
    "bls12_pairing/2_pairs": (0x0f, f"{GETH}/blsPairing.json, \"bls_pairing_e(2*G1,3*G2)=e(6*G1,G2)\"",
        point("0572cbea904d67468808c8eb50a9450c9721db309128012543902d0ac358a62ae28f75bb8f1c7c42c39a8c5529bf0f4e",
              "166a9d8cabc673a322fda673779d8e3822ba3ecb8670e461f73bb9021d5fd76a4c56d9d4cd16bd1bba86881979749d28",
              "122915c824a0857e2ee414a3dccb23ae691ae54329781315a0c75df1c04d6d7a50a030fc866f09d516020ef82324afae",
              "09380275bbc8e5dcea7dc4dd7e0550ff2ac480905396eda55062650f8d251c96eb480673937cc6d9d6a44aaa56ca66dc",
              "0b21da7955969e61010c7a1abc1a6f0136961d1e3b20b1a7326ac738fef5c721479dfd948b52fdf2455e44813ecfd892",
              "08f239ba329b3967fe48d718a36cfe5f62a7e42e0bf1c1ed714150a166bfbd6bcf6b3b58b975b9edea56d53f23a0e849",
              "06e82f6da4520f85c5d27d8f329eccfa05944fd1096b20734c894966d12a9e2a9a9744529d7212d33883113a0cadb909",
              "17d81038f7d60bee9110d9c0d6d1102fe2d998c957f28e31ec284cc04134df8e47e8f82ff3af2e60a6d9688a4563477c",
              "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
              "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e",
              "0d1b3cc2c7027888be51d9ef691d77bcb679afda66c73f17f9ee3837a55024f78c71363275a75d75d86bab79f74782aa",
              "13fa4d4a0ad8b1ce186ed5061789213d993923066dddaf1040bc3ff59f825c78df74f2d75467e25e0f55f8a00fa030ed"),
        ONE),
    "bls12_map_fp_to_g1/matter_0": (0x10, f"{GETH}/blsMapG1.json, \"matter_fp_to_g1_0\"",
        fp("14406e5bfb9209256a3820879a29ac2f62d6aca82324bf3ae2aa7d3c54792043bd8c791fccdb080c1a52dc68b8b69350"),
        point("0d7721bcdb7ce1047557776eb2659a444166dc6dd55c7ca6e240e21ae9aa18f529f04ac31d861b54faf3307692545db7",
              "108286acbdf4384f67659a8abe89e712a504cb3ce1cba07a716869025d60d499a00d1da8cdc92958918c222ea93d87f0")),
    "bls12_map_fp2_to_g2/matter_0": (0x11, f"{GETH}/blsMapG2.json, \"matter_fp2_to_g2_0\"",
        fp("14406e5bfb9209256a3820879a29ac2f62d6aca82324bf3ae2aa7d3c54792043bd8c791fccdb080c1a52dc68b8b69350")
        + fp("0e885bb33996e12f07da69073e2c0cc880bc8eff26d2a724299eb12d54f4bcf26f4748bb020e80a7e3794a7b0e47a641"),
        point("0d029393d3a13ff5b26fe52bd8953768946c5510f9441f1136f1e938957882db6adbd7504177ee49281ecccba596f2bf",
              "1993f668fb1ae603aefbb1323000033fcb3b65d8ed3bf09c84c61e27704b745f540299a1872cd697ae45a5afd780f1d6",
              "079cb41060ef7a128d286c9ef8638689a49ca19da8672ea5c47b6ba6dbde193ee835d3b87a76a689966037c07159c10d",
              "17c688ae9a8b59a7069c27f2d58dd2196cb414f4fb89da8510518a1142ab19d158badd1c3bad03408fafb1669903cd6c")),
    "p256verify/valid": (0x100, f"{GETH}/p256Verify.json, \"CallP256Verify\" (RIP-7212's vector; EIP-7951 keeps the interface)",
        "4cee90eb86eaa050036147a12d49004b6b9c72bd725d39d4785011fe190f0b4d"
        "a73bd4903f0ce3b639bbbf6e8e80d16931ff4bcf5993d58468e8fb19086e8cac"
        "36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d60"
        "4aebd3099c618202fcfe16ae7770b0c49ab5eadf74b754204a3bb6060e44eff3"
        "7618b065f9832de4ca6ca971a7a1adc826d0f7c00181a5fb2ddf79ae00b4e10e",
        ONE),
}

# The scalar-multiplication results the MSM vectors are derived from: 0x11 * generator.
G1_TIMES_17 = (f"{GETH}/blsG1MultiExp.json, \"bls_g1multiexp_single\" (17 * G1)",
    point("1098f178f84fc753a76bb63709e9be91eec3ff5f7f3a5f4836f34fe8a1a6d6c5578d8fd820573cef3a01e2bfef3eaf3a",
          "0ea923110b733b531006075f796cc9368f2477fe26020f465468efbb380ce1f8eebaf5c770f31d320f9bd378dc758436"))
G2_TIMES_17 = (f"{GETH}/blsG2MultiExp.json, \"bls_g2multiexp_single\" (17 * G2)",
    point("0ef786ebdcda12e142a32f091307f2fedf52f6c36beb278b0007a03ad81bf9fee3710a04928e43e541d02c9be44722e8",
          "0d05ceb0be53d2624a796a7a033aec59d9463c18d672c451ec4f2e679daef882cab7d8dd88789065156a1340ca9d4265",
          "118ed350274bc45e63eaaa4b8ddf119b3bf38418b5b9748597edfc456d9bc3e864ec7283426e840fd29fa84e7d89c934",
          "1594b866a28946b6d444bf0481558812769ea3222f5dfc961ca33e78e0ea62ee8ba63fd1ece9cc3e315abfa96d536944"))

# EIP-7883's case `modexp_marius_1_even` (execution-spec-tests' name), a
# 193-byte exponent over a 12-byte even modulus: the shape the EIP was
# written for. The output is pow()'s.
MARIUS_1_EVEN = (
    "0000000000000000000000000000000000000000000000000000000000000003"
    "00000000000000000000000000000000000000000000000000000000000000c1"
    "000000000000000000000000000000000000000000000000000000000000000c"
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0"
    "00007d7d7d83828282348286877d7d827d407d797d7d7d7d7d7d7d7d7d7d7d5b"
    "0000000000000000000000000000000000000000000000000000000000000003"
    "0000000000000000000000000000000000000000000000000000000000000021"
    "000000000000000000000000000000000000000000000000000000000000000c"
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff40"
    "00007d7d7d83828282348286877d7d82")

# --- independent computations -----------------------------------------------

def modexp(data):
    """EIP-198's precompile, with Python's pow()."""
    b = bytes.fromhex(data)
    blen, elen, mlen = (int.from_bytes(b[i:i + 32], "big") for i in (0, 32, 64))
    rest = b[96:] + bytes(blen + elen + mlen)
    base = int.from_bytes(rest[:blen], "big")
    exp = int.from_bytes(rest[blen:blen + elen], "big")
    mod = int.from_bytes(rest[blen + elen:blen + elen + mlen], "big")
    return (pow(base, exp, mod) if mod else 0).to_bytes(mlen, "big").hex()


MASK = (1 << 64) - 1
IV = [0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
      0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179]
SIGMA = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
]


def blake2f(data):
    """EIP-152's precompile: BLAKE2b's compression function F (RFC 7693, 3.2) with a round count."""
    b = bytes.fromhex(data)
    assert len(b) == 213 and b[212] in (0, 1)
    rounds = int.from_bytes(b[:4], "big")
    h = [int.from_bytes(b[4 + 8 * i:12 + 8 * i], "little") for i in range(8)]
    m = [int.from_bytes(b[68 + 8 * i:76 + 8 * i], "little") for i in range(16)]
    t0, t1 = (int.from_bytes(b[196 + 8 * i:204 + 8 * i], "little") for i in range(2))
    v = h + IV
    v[12] ^= t0
    v[13] ^= t1
    if b[212]:
        v[14] ^= MASK

    def mix(a, b_, c, d, x, y):
        v[a] = (v[a] + v[b_] + x) & MASK
        w = v[d] ^ v[a]
        v[d] = (w >> 32) | (w << 32) & MASK
        v[c] = (v[c] + v[d]) & MASK
        w = v[b_] ^ v[c]
        v[b_] = (w >> 24) | (w << 40) & MASK
        v[a] = (v[a] + v[b_] + y) & MASK
        w = v[d] ^ v[a]
        v[d] = (w >> 16) | (w << 48) & MASK
        v[c] = (v[c] + v[d]) & MASK
        w = v[b_] ^ v[c]
        v[b_] = (w >> 63) | (w << 1) & MASK

    for r in range(rounds):
        s = SIGMA[r % 10]
        mix(0, 4, 8, 12, m[s[0]], m[s[1]])
        mix(1, 5, 9, 13, m[s[2]], m[s[3]])
        mix(2, 6, 10, 14, m[s[4]], m[s[5]])
        mix(3, 7, 11, 15, m[s[6]], m[s[7]])
        mix(0, 5, 10, 15, m[s[8]], m[s[9]])
        mix(1, 6, 11, 12, m[s[10]], m[s[11]])
        mix(2, 7, 8, 13, m[s[12]], m[s[13]])
        mix(3, 4, 9, 14, m[s[14]], m[s[15]])
    return b"".join((h[i] ^ v[i] ^ v[i + 8]).to_bytes(8, "little") for i in range(8)).hex()


def with_rounds(data, rounds, final=None):
    out = rounds.to_bytes(4, "big").hex() + data[8:]
    return out if final is None else out[:-2] + ("01" if final else "00")


def check_blake2f():
    """The F above against EIP-152's test vectors 4 to 7 (0, 12 and 1 rounds; final flag off)."""
    v5 = PUBLISHED["blake2f/12_rounds"][2]
    cases = [
        (with_rounds(v5, 0), "08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5"
                             "d282e6ad7f520e511f6c3e2b8c68059b9442be0454267ce079217e1319cde05b"),
        (v5, PUBLISHED["blake2f/12_rounds"][3]),
        (with_rounds(v5, 12, final=False), "75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d28752"
                                           "98743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3d666a610c2116fde4735"),
        (with_rounds(v5, 1), "b63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fb"
                             "a551b3a8333bcdf5f2f7e08993d53923de3d64fcc68c034e717b9293fed7a421"),
    ]
    for data, want in cases:
        assert blake2f(data) == want, "the BLAKE2b F here does not reproduce EIP-152's vectors"


def pattern(n):
    return bytes((7 * i + 1) % 256 for i in range(n))


def split_scalar(total, parts, label):
    """`parts` full-width scalars whose sum is `total` modulo the BLS12-381
    subgroup order: an MSM of one point with them equals `total` times it."""
    xs = [int.from_bytes(hashlib.sha256(f"ethbench/{label}/{i}".encode()).digest(), "big") >> 2
          for i in range(parts - 1)]
    last = (total - sum(xs)) % BLS_Q + BLS_Q  # unreduced, as EIP-2537 allows: still a full-width scalar
    return xs + [last]


def derived():
    """Every vector computed here, in order, as (id, address, source, input, output or None)."""
    out = []
    for name, address, digest in (("sha256", 0x02, lambda d: hashlib.sha256(d).hexdigest()),
                                  ("ripemd160", 0x03, lambda d: "00" * 12 + hashlib.new("ripemd160", d).hexdigest()),
                                  ("identity", 0x04, lambda d: d.hex())):
        for label, n in (("32b", 32), ("1kib", 1024)):
            data = pattern(n)
            out.append((f"{name}/{label}", address, f"input: bytes (7i + 1) mod 256; output: Python's hashlib"
                        if name != "identity" else "input: bytes (7i + 1) mod 256; output: the input", data.hex(), digest(data)))

    out.append(("modexp/marius_1_even", 0x05, "input: EIP-7883's case modexp_marius_1_even; output: Python's pow()",
                MARIUS_1_EVEN, modexp(MARIUS_1_EVEN)))
    base = hashlib.shake_256(b"ethbench/modexp/base").digest(1024)
    mod = b"\x80" + hashlib.shake_256(b"ethbench/modexp/modulus").digest(1023)
    big = scalar(1024) + scalar(3) + scalar(1024) + base.hex() + "010001" + mod.hex()
    out.append(("modexp/1024b_pow0x10001", 0x05,
                "input: 1024-byte base and modulus (the largest EIP-7823 allows) from SHAKE-256, exponent 0x10001; output: Python's pow()",
                big, modexp(big)))

    add = PUBLISHED["bn254_add/chfast1"][2]
    bad = add[:126] + "%02x" % (int(add[126:128], 16) ^ 1)
    out.append(("bn254_add/invalid_point", 0x06,
                "chfast1 with the first point's y changed by one bit: off the curve, so EIP-196 fails the call", bad + add[128:], None))
    pairing = PUBLISHED["bn254_pairing/2_pairs"][2]
    out.append(("bn254_pairing/8_pairs", 0x08, "jeff1's two pairs four times: the product is 1^4 = 1", pairing * 4, ONE))

    v5 = PUBLISHED["blake2f/12_rounds"][2]
    million = with_rounds(v5, 1_000_000)
    out.append(("blake2f/1m_rounds", 0x09, "EIP-152 vector 5 with 1,000,000 rounds; output: the RFC 7693 F in this script",
                million, blake2f(million)))

    kzg = PUBLISHED["kzg_point_evaluation/valid"][2]
    y = int(kzg[128:192], 16)
    out.append(("kzg_point_evaluation/invalid_proof", 0x0a,
                "pointEvaluation1 claiming y + 1: the proof does not prove it, so EIP-4844 fails the call",
                kzg[:128] + "%064x" % (y + 1) + kzg[192:], None))

    g1add = PUBLISHED["bls12_g1add/g1_plus_g1"][2]
    out.append(("bls12_g1add/wrong_length", 0x0b, "g1+g1 less its last byte: EIP-2537 fails an input of the wrong length",
                g1add[:-2], None))
    for group, address, gen, (source, product) in (("g1", 0x0c, G1, G1_TIMES_17), ("g2", 0x0e, G2, G2_TIMES_17)):
        for k in (1, 8):
            scalars = split_scalar(17, k, f"bls12_{group}msm/{k}")
            data = "".join(point(*gen) + scalar(s) for s in scalars)
            out.append((f"bls12_{group}msm/{k}_pair{'s' if k > 1 else ''}", address,
                        f"{k} full-width scalar(s) summing to 17 modulo the group order, times the generator; output: {source}",
                        data, product))
    bls_pairing = PUBLISHED["bls12_pairing/2_pairs"][2]
    out.append(("bls12_pairing/8_pairs", 0x0f, "bls_pairing_e(2*G1,3*G2)=e(6*G1,G2) four times: the product is 1^4 = 1",
                bls_pairing * 4, ONE))

    p256 = PUBLISHED["p256verify/valid"][2]
    s_last = int(p256[190:192], 16) ^ 1
    out.append(("p256verify/invalid_signature", 0x100,
                "CallP256Verify with one bit of s flipped: EIP-7951 returns empty output, not an error",
                p256[:190] + "%02x" % s_last + p256[192:], ""))
    return out


def consistency():
    """Published vectors that can be checked here are."""
    for key in ("modexp/nagydani_1_square", "modexp/nagydani_3_pow0x10001"):
        assert modexp(PUBLISHED[key][2]) == PUBLISHED[key][3], f"pow() disagrees with {key}"
    kzg = bytes.fromhex(PUBLISHED["kzg_point_evaluation/valid"][2])
    assert len(kzg) == 192
    # EIP-4844: the versioned hash is 0x01 ‖ sha256(commitment)[1:].
    assert kzg[:32] == b"\x01" + hashlib.sha256(kzg[96:144]).digest()[1:], "the KZG vector's versioned hash"
    # -G2 in the pairing vector: same x, y negated modulo p.
    pairing = PUBLISHED["bls12_pairing/2_pairs"][2]
    neg_y = [int(pairing[-256 + 128 * i:][:128], 16) for i in range(2)]
    assert neg_y == [BLS_P - int(G2[2], 16), BLS_P - int(G2[3], 16)], "the pairing vector's -G2"
    for key, (_, _, data, _) in PUBLISHED.items():
        bytes.fromhex(data)
    check_blake2f()


def vectors():
    consistency()
    rows = [(key, address, source, data, output) for key, (address, source, data, output) in PUBLISHED.items()]
    rows += derived()
    rows.sort(key=lambda r: (r[1], r[0]))
    entries = []
    for key, address, source, data, output in rows:
        entry = {"id": key, "address": address, "input": "0x" + data}
        if output is None:
            entry["fails"] = True
        else:
            entry["output"] = "0x" + output
        entry["source"] = source
        entries.append(entry)
    return json.dumps(entries, indent=1) + "\n"


def main():
    text = vectors()
    if sys.argv[1:] == ["--check"]:
        if OUT.read_text() != text:
            sys.exit(f"error: {OUT.relative_to(Path.cwd())} differs from what this script computes; "
                     "run scripts/precompile-vectors.py to see the difference")
        print(f"{OUT.name}: every derived value recomputed and equal")
    elif sys.argv[1:]:
        sys.exit("usage: scripts/precompile-vectors.py [--check]")
    else:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(text)
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
