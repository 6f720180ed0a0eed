/** Word pools for realistic Chinese names, places, products and texts in the demo data. */

export interface Station {
  region: string;
  /** Station (team) name, e.g. 上海服务站. */
  name: string;
  /** Short city name used in company names, e.g. 上海. */
  city: string;
  /** Province + city prefix of an address, e.g. 浙江省杭州市. */
  place: string;
  districts: string[];
  /** Relative size of the station's customer base. */
  size: number;
}

export const STATIONS: Station[] = [
  { region: '华东', name: '上海服务站', city: '上海', place: '上海市', districts: ['浦东新区', '闵行区', '嘉定区', '宝山区', '松江区', '青浦区'], size: 1.6 },
  { region: '华东', name: '杭州服务站', city: '杭州', place: '浙江省杭州市', districts: ['西湖区', '余杭区', '萧山区', '滨江区', '拱墅区'], size: 1.2 },
  { region: '华东', name: '南京服务站', city: '南京', place: '江苏省南京市', districts: ['江宁区', '浦口区', '栖霞区', '雨花台区', '六合区'], size: 1.1 },
  { region: '华东', name: '济南服务站', city: '济南', place: '山东省济南市', districts: ['历下区', '槐荫区', '历城区', '章丘区', '天桥区'], size: 0.9 },
  { region: '华东', name: '合肥服务站', city: '合肥', place: '安徽省合肥市', districts: ['蜀山区', '包河区', '瑶海区', '庐阳区', '肥西县'], size: 0.8 },
  { region: '华南', name: '广州服务站', city: '广州', place: '广东省广州市', districts: ['天河区', '白云区', '番禺区', '黄埔区', '花都区'], size: 1.5 },
  { region: '华南', name: '深圳服务站', city: '深圳', place: '广东省深圳市', districts: ['宝安区', '龙岗区', '南山区', '福田区', '龙华区'], size: 1.3 },
  { region: '华南', name: '福州服务站', city: '福州', place: '福建省福州市', districts: ['鼓楼区', '台江区', '仓山区', '晋安区', '马尾区'], size: 0.7 },
  { region: '华南', name: '南宁服务站', city: '南宁', place: '广西壮族自治区南宁市', districts: ['青秀区', '兴宁区', '西乡塘区', '江南区', '良庆区'], size: 0.6 },
  { region: '华北', name: '北京服务站', city: '北京', place: '北京市', districts: ['朝阳区', '丰台区', '大兴区', '顺义区', '通州区', '昌平区'], size: 1.5 },
  { region: '华北', name: '天津服务站', city: '天津', place: '天津市', districts: ['滨海新区', '西青区', '东丽区', '津南区', '北辰区'], size: 1.0 },
  { region: '华北', name: '石家庄服务站', city: '石家庄', place: '河北省石家庄市', districts: ['长安区', '桥西区', '新华区', '裕华区', '藁城区'], size: 0.8 },
  { region: '华北', name: '太原服务站', city: '太原', place: '山西省太原市', districts: ['小店区', '迎泽区', '杏花岭区', '万柏林区', '晋源区'], size: 0.6 },
  { region: '华中', name: '武汉服务站', city: '武汉', place: '湖北省武汉市', districts: ['江汉区', '洪山区', '东西湖区', '汉阳区', '江夏区'], size: 1.1 },
  { region: '华中', name: '郑州服务站', city: '郑州', place: '河南省郑州市', districts: ['金水区', '二七区', '中原区', '管城回族区', '惠济区'], size: 1.0 },
  { region: '华中', name: '长沙服务站', city: '长沙', place: '湖南省长沙市', districts: ['岳麓区', '雨花区', '开福区', '天心区', '望城区'], size: 0.9 },
  { region: '西南', name: '成都服务站', city: '成都', place: '四川省成都市', districts: ['武侯区', '锦江区', '青羊区', '金牛区', '成华区', '双流区'], size: 1.2 },
  { region: '西南', name: '重庆服务站', city: '重庆', place: '重庆市', districts: ['渝北区', '江北区', '九龙坡区', '沙坪坝区', '南岸区'], size: 1.1 },
  { region: '西南', name: '昆明服务站', city: '昆明', place: '云南省昆明市', districts: ['五华区', '盘龙区', '官渡区', '西山区', '呈贡区'], size: 0.7 },
  { region: '西南', name: '贵阳服务站', city: '贵阳', place: '贵州省贵阳市', districts: ['南明区', '云岩区', '观山湖区', '白云区', '花溪区'], size: 0.6 },
  { region: '西北', name: '西安服务站', city: '西安', place: '陕西省西安市', districts: ['雁塔区', '未央区', '碑林区', '莲湖区', '长安区'], size: 1.0 },
  { region: '西北', name: '兰州服务站', city: '兰州', place: '甘肃省兰州市', districts: ['城关区', '七里河区', '安宁区', '西固区'], size: 0.6 },
  { region: '西北', name: '乌鲁木齐服务站', city: '乌鲁木齐', place: '新疆维吾尔自治区乌鲁木齐市', districts: ['天山区', '沙依巴克区', '新市区', '水磨沟区'], size: 0.5 },
  { region: '东北', name: '沈阳服务站', city: '沈阳', place: '辽宁省沈阳市', districts: ['和平区', '沈河区', '铁西区', '皇姑区', '浑南区'], size: 0.9 },
  { region: '东北', name: '哈尔滨服务站', city: '哈尔滨', place: '黑龙江省哈尔滨市', districts: ['南岗区', '道里区', '香坊区', '松北区', '道外区'], size: 0.7 },
  { region: '东北', name: '长春服务站', city: '长春', place: '吉林省长春市', districts: ['朝阳区', '南关区', '宽城区', '绿园区', '二道区'], size: 0.7 },
];

export const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高',
  '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁',
  '潘', '于', '蒋', '蔡', '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔',
];

export const GIVEN_NAMES = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英',
  '华', '平', '刚', '桂英', '建华', '建国', '志强', '文', '斌', '宇', '浩', '凯', '鹏', '辉', '红', '霞', '玉兰',
  '晨', '欣', '婷', '雪', '海燕', '国强', '永刚', '德明', '春生', '立新', '宏伟', '晓东', '海波', '子豪', '宇轩',
  '志刚', '建军', '红梅', '丽娟', '振华', '金龙', '少华', '利民', '小军', '卫东', '长江', '宝山', '俊杰', '思远',
];

export const COMPANY_WORDS = [
  '顺达', '安通', '恒运', '宏远', '通达', '鑫盛', '长荣', '华泰', '金桥', '联运', '天成', '永盛', '广源',
  '佳和', '瑞丰', '中兴', '东方', '新世纪', '远航', '鸿运', '德邦', '畅行', '大地', '力帆', '万家',
];

export const COMPANY_SUFFIXES = [
  '物流有限公司', '运输有限公司', '客运有限公司', '公交集团有限公司', '建材有限公司', '汽车租赁有限公司',
  '冷链物流有限公司', '渣土运输有限公司', '旅游客运有限公司', '快递有限公司', '工程机械有限公司',
];

export const ROADS = [
  '人民路', '解放路', '建设路', '中山路', '和平路', '长江路', '黄河路', '工业大道', '科技路', '文化路',
  '迎宾大道', '滨江路', '东风路', '胜利路', '光明路', '幸福路', '新华路', '青年路', '朝阳路', '开发区大道',
  '物流园路', '港城大道', '金山路', '振兴路',
];

export const PRODUCT_MODELS = [
  'HQ1041', 'HQ1090', 'HQ1160', 'HQ3250', 'HQ4180', 'HQ4250', 'HQ5043XXY', 'HQ6120', 'HQ6858', 'HQ6605',
];

/** Mobile prefixes after the leading 1. */
export const PHONE_PREFIXES = ['38', '39', '37', '36', '35', '58', '59', '86', '88', '89', '77', '50', '51', '87', '33', '52'];

export const SUPERVISORS = ['刘静', '陈志强', '王丽华', '赵敏', '孙建平'];
export const HR_APPROVERS = ['人力资源部 周丽', '人力资源部 吴海涛'];

export const COMMENTS_GOOD = [
  '师傅很专业，点赞', '响应及时，服务周到', '维修质量好，车辆恢复正常', '态度很好，解释得很清楚',
  '上门很快，感谢', '服务满意', '工作认真负责', '下次还找你们',
];
export const COMMENTS_BAD = [
  '等了很久才到', '配件不全，跑了两趟', '电话一直打不通', '维修后还有异响', '收费不透明',
  '师傅态度一般', '希望提高响应速度', '同样的问题修了两次', '到场后才发现没带工具',
];

export const COMPLAINT_TEXT: Record<string, string[]> = {
  late_arrival: ['报修后超过一天没人到场', '约定时间未到，也没有通知', '服务人员迟到半天'],
  no_communication: ['报修后没有任何回复', '维修进度无人告知', '多次来电无人回复'],
  goods_not_checked: ['更换的配件型号不对', '随车工具缺失未清点', '发货配件有破损未检查'],
  attitude: ['服务人员态度恶劣', '服务人员不耐烦，推诿', '维修时与客户争吵'],
  quality: ['修完第二天同样故障', '维修后漏油', '故障未彻底排除'],
  fee: ['保修期内被收取费用', '收费高于报价', '收费没有开具票据'],
  other: ['对服务流程不满意', '希望增加服务网点', '其他问题'],
};

export const COMPLAINT_RESOLUTION: Record<string, string[]> = {
  yes: ['已向客户致歉并重新上门处理', '已安排复修并回访确认', '已退还多收费用并致歉', '已对责任人批评教育'],
  no: ['经核实非服务责任，已向客户解释', '属产品设计问题，已转技术部门', '客户操作不当，已说明'],
  pending: ['调查中', '待与客户进一步核实'],
};

export const VERIFY_NOTES: Record<string, string[]> = {
  confirmed: ['客户确认评价属实', '回访核实无误'],
  corrected: ['客户反映实际评价低于表单，已更正', '客户口述评价与表单不符，按口述更正'],
  fraudulent: ['客户表示未填写该表', '表单由服务人员代填', '签名非客户本人'],
  unreachable: ['电话无人接听', '空号', '三次拨打未接通', '客户拒绝接听'],
};

/** Other rewards/penalties (SPEC §2.7): reason and amount in yuan. */
export const ADJUSTMENTS: Array<[string, number]> = [
  ['合理化建议被采纳', 500],
  ['客户书面表扬', 200],
  ['客户赠送锦旗', 300],
  ['技术比武获奖', 800],
  ['协助攻关疑难故障', 400],
  ['带教新员工', 300],
  ['违反安全操作规程', -300],
  ['工具设备遗失', -200],
  ['未按规定着装', -100],
  ['服务记录填写不实', -500],
];
